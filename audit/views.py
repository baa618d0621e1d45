from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.permissions import can_view_audit_trail, require

from .selectors import audit_events


@login_required
def audit_list(request):
    require(can_view_audit_trail(request.user))
    events = audit_events(
        target_type=request.GET.get("type", ""),
        action=request.GET.get("action", ""),
        query=request.GET.get("q", "").strip(),
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"page": page, "q": request.GET.get("q", "")})
