"""The officer's page for the unit's API keys: issue one (shown once), revoke one."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from audit.services import record_event

from ..guards import officer_unit
from ..models import UnitApiToken
from .auth import issue_token
from .forms import ApiKeyForm


@role_required(Role.UNIT_OFFICER)
def api_keys(request):
    unit = officer_unit(request)
    form = ApiKeyForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        token, new_key = issue_token(unit=unit, actor=request.user, name=form.cleaned_data["name"])
        record_event(
            actor=request.user,
            action="api_token.issued",
            target=token,
            changes={"name": token.name, "prefix": token.prefix},
            organisation=unit.organisation,
        )
        form = ApiKeyForm()
    tokens = UnitApiToken.objects.filter(unit=unit).select_related("created_by").order_by("-created_at")
    response = render(
        request,
        "volunteers/hours/api_keys.html",
        {"unit": unit, "form": form, "tokens": tokens, "new_key": new_key},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@role_required(Role.UNIT_OFFICER)
def api_key_revoke(request, pk):
    unit = officer_unit(request)
    token = get_object_or_404(UnitApiToken, pk=pk, unit=unit)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            actor=request.user,
            action="api_token.revoked",
            target=token,
            changes={"prefix": token.prefix},
            organisation=unit.organisation,
        )
        messages.success(request, _("金鑰「%(name)s」已停用。") % {"name": token.name})
    return redirect("volunteers:api_keys")
