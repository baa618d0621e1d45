import json
import logging

from core.logging import JsonFormatter, RedactIdentifiersFilter, redact


def test_redact_masks_national_ids_and_resident_certificates():
    assert redact("volunteer A123456789 imported") == "volunteer A12****789 imported"
    assert redact("arc AC01234567 and A800000014") == "arc AC0****567 and A80****014"
    assert redact("order 20240101123 ok") == "order 20240101123 ok"


def make_record(msg, *args):
    return logging.LogRecord("goodday", logging.INFO, __file__, 1, msg, args, None)


def test_the_filter_rewrites_messages_built_from_arguments():
    record = make_record("imported %s for %s", "A123456789", "unit 3")
    assert RedactIdentifiersFilter().filter(record)
    assert record.getMessage() == "imported A12****789 for unit 3"


def test_json_formatter_writes_one_json_object_per_line():
    line = JsonFormatter().format(make_record("付款通知 %s", "OK"))
    entry = json.loads(line)
    assert entry["message"] == "付款通知 OK"
    assert entry["level"] == "INFO"
    assert entry["logger"] == "goodday"


def test_celery_task_records_lose_the_task_arguments_but_keep_their_message():
    """Celery attaches a task's arguments (for the e-mail task: a person's name and mail) to its
    records even when the message does not print them."""
    context = {"id": "t1", "name": "core.notify.send_email_task", "args": "(['a@b.tw'], '王小明 您好')"}
    record = logging.LogRecord(
        "celery.app.trace", logging.INFO, __file__, 1, "Task %(name)s[%(id)s] succeeded", (context,), None
    )
    record.data = dict(context)
    assert RedactIdentifiersFilter().filter(record)
    assert record.getMessage() == "Task core.notify.send_email_task[t1] succeeded"
    assert "王小明" not in repr(record.__dict__)


def test_a_traceback_in_a_plain_log_line_carries_no_whole_id_number():
    import io
    import logging

    from core.logging import RedactIdentifiersFilter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(RedactIdentifiersFilter())
    logger = logging.getLogger("tests.plain_traceback")
    logger.addHandler(handler)
    try:
        raise RuntimeError("cannot read A123456789")
    except RuntimeError:
        logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    assert "RuntimeError: cannot read A12****789" in stream.getvalue()
    assert "A123456789" not in stream.getvalue()
