"""Writing to the audit trail. Call ``record_event`` inside the same transaction as the change."""

import logging
import traceback as tb

from django.db import transaction
from django.db.models import Model
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.language import in_record_language
from core.logging import redact

from .models import AuditEvent, TaskFailure

logger = logging.getLogger(__name__)


def _label(obj) -> str:
    # The trail is a record: its labels read the same whatever the actor's language.
    with in_record_language():
        return str(obj)[:255]


def record_event(
    *,
    actor,
    action: str,
    target: Model,
    changes: dict | None = None,
    reason: str = "",
    organisation=None,
    organisation_id: int | None = None,
) -> AuditEvent:
    """Append one event: who (``actor``, may be None for the system) did ``action`` to ``target``.

    ``changes`` maps a field to ``[old, new]`` (or any JSON-able detail); values must not
    carry ID numbers in clear: pass them masked. ``organisation_id`` names the organisation by its
    key when the caller holds only that (no query to load it).
    """
    user = actor if getattr(actor, "is_authenticated", False) else None
    if user is not None:
        actor_label = f"{user.get_full_name()} <{user.email}>"
    else:
        actor_label = "系統"
    if organisation_id is None:
        if organisation is None:
            organisation = getattr(target, "organisation", None) or getattr(target, "bureau", None)
        organisation_id = organisation.pk if isinstance(organisation, Model) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=actor_label[:254],
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=_label(target),
        organisation_id=organisation_id,
        changes=changes or {},
        reason=reason,
    )


def diff(instance: Model, old: dict, fields) -> dict:
    """The fields whose values changed, as ``{field: [old, new]}`` (values as strings)."""
    out = {}
    for field in fields:
        new_value = getattr(instance, field)
        if old.get(field) != new_value:
            out[field] = [_plain(old.get(field)), _plain(new_value)]
    return out


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


@transaction.atomic
def resolve_task_failure(*, failure_id, actor) -> TaskFailure:
    failure = get_object_or_404(
        TaskFailure.objects.select_for_update(), pk=failure_id, resolved_at__isnull=True
    )
    failure.resolved_at = timezone.now()
    failure.resolved_by = actor
    failure.save(update_fields=["resolved_at", "resolved_by"])
    record_event(actor=actor, action="task_failure.resolved", target=failure)
    return failure


def record_task_failure(
    *, task_name: str, exception: BaseException, task_id: str = "", trace: str = ""
) -> None:
    """Write down, for staff, a task that failed in a worker or could not be queued at all
    (ID numbers redacted). Never raises: the database may be what failed; the log still has it."""
    trace = trace or "".join(tb.format_exception(exception))
    try:
        TaskFailure.objects.create(
            task_name=task_name[:200],
            task_id=task_id[:64],
            exception=redact(f"{type(exception).__name__}: {exception}")[:2000],
            traceback=redact(trace)[-20000:],
        )
    except Exception:
        logger.exception("could not record the failure of task %s", task_name)
