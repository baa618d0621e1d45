import re

from .models import AuditEvent, TaskFailure


def audit_events(*, target_type: str = "", target_id: str = "", action: str = "", query: str = ""):
    qs = AuditEvent.objects.select_related("organisation", "actor")
    if target_type:
        qs = qs.filter(target_type=target_type)
    if target_id:
        qs = qs.filter(target_id=target_id)
    if action:
        qs = qs.filter(action=action)
    if query:
        qs = qs.filter(target_label__icontains=query) | qs.filter(actor_label__icontains=query)
    return qs


def history_of(obj):
    return AuditEvent.objects.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk)).order_by(
        "at", "id"
    )


def unresolved_task_failures():
    return TaskFailure.objects.filter(resolved_at__isnull=True)


# Keys of ``changes`` whose values are personal data (a volunteer's phone, a receipt's address, a
# team's contact number …): the trail's list shows that they changed, not what they are. The
# record keeps them for the unit's own history of the person; the list is read by the site's
# admins and by the relief committee, who oversee the money, not the people.
PERSONAL_KEY = re.compile(r"phone|e_?mail|address|birth|identity|id_number|national_id", re.IGNORECASE)
MASK = "＊＊＊"


def _masked(value):
    if value in (None, "", [], {}):
        return value  # "added" or "removed" stays readable
    if isinstance(value, list):
        return [_masked(v) for v in value]
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    return MASK


def shown_changes(changes):
    """``changes`` as the trail's list shows it: personal values masked, at any depth."""
    if isinstance(changes, dict):
        return {
            key: _masked(value) if PERSONAL_KEY.search(str(key)) else shown_changes(value)
            for key, value in changes.items()
        }
    if isinstance(changes, list):
        return [shown_changes(v) for v in changes]
    return changes


EMAIL_IN_LABEL = re.compile(r"<[^<>\s]*@[^<>\s]*>")


def shown_actor(event) -> str:
    """Who acted, as the trail's list shows it: staff by name and work address; a citizen (a donor,
    a volunteer, an applicant, or an account since closed) by name only."""
    from accounts.roles import STAFF_ROLES, Role

    actor = event.actor
    if actor is not None and (actor.role in STAFF_ROLES or actor.role == Role.SITE_ADMIN):
        return event.actor_label
    return EMAIL_IN_LABEL.sub(f"<{MASK}>", event.actor_label)
