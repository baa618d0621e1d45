from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from accounts.permissions import can_view_audit_trail, is_site_admin, require

from .selectors import audit_events, shown_actor, shown_changes, unresolved_task_failures
from .services import resolve_task_failure


@login_required
def audit_list(request):
    require(can_view_audit_trail(request.user))
    events = audit_events(
        target_type=request.GET.get("type", ""),
        action=request.GET.get("action", ""),
        query=request.GET.get("q", "").strip(),
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for event in page:
        event.shown_changes = shown_changes(event.changes)
        event.shown_actor = shown_actor(event)
    return render(request, "audit/list.html", {"page": page, "q": request.GET.get("q", "")})


@login_required
def task_failures(request):
    require(is_site_admin(request.user))
    if request.method == "POST":
        resolve_task_failure(failure_id=request.POST.get("failure"), actor=request.user)
        return redirect("audit:task_failures")
    page = Paginator(unresolved_task_failures(), 50).get_page(request.GET.get("page"))
    return render(request, "audit/task_failures.html", {"page": page})
