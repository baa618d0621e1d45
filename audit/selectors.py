from .models import AuditEvent, TaskFailure


def audit_events(*, target_type: str = "", target_id: str = "", action: str = "", query: str = ""):
    qs = AuditEvent.objects.select_related("organisation")
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
