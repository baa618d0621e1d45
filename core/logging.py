"""Structured (JSON-lines) logs that carry no ID numbers or personal data: a filter masks anything
shaped like a Taiwan national ID or resident certificate before a record is written, and drops the
arguments Celery attaches to its task records (an e-mail task's arguments are a person's mail)."""

import json
import logging
import re

_ID_PATTERN = re.compile(r"\b([A-Z])([1289A-D])(\d{8})\b")


def redact(text: str) -> str:
    return _ID_PATTERN.sub(lambda m: f"{m[1]}{m[2]}{m[3][0]}****{m[3][-3:]}", text)


# Celery puts a task's arguments into its log records (record.args and record.data) even where the
# message does not print them; a handler or error tracker that dumps records would leak them.
_TASK_ARGUMENT_KEYS = ("args", "kwargs")


def _without_task_arguments(values):
    if isinstance(values, dict) and any(key in values for key in _TASK_ARGUMENT_KEYS):
        return {k: ("[redacted]" if k in _TASK_ARGUMENT_KEYS else v) for k, v in values.items()}
    return values


class RedactIdentifiersFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.args = _without_task_arguments(record.args)
        if hasattr(record, "data"):
            record.data = _without_task_arguments(record.data)
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        # A traceback repeats the exception's message (often the very value that failed): format it
        # here, redacted, so every formatter (the plain one caches exc_text) writes the clean text.
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(_TRACEBACK_FORMATTER.formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_TRACEBACK_FORMATTER = logging.Formatter()


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "status_code", "task_id", "task_name"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)
