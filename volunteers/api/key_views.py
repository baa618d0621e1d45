"""The officer's page for the unit's API keys: issue one (shown once), revoke one."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import allowed_by

from .. import permissions
from ..guards import officer_unit
from ..models import UnitApiToken
from . import services
from .forms import ApiKeyForm


@allowed_by(permissions.is_unit_officer)
def api_keys(request):
    unit = officer_unit(request)
    form = ApiKeyForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.issue_api_key(
            unit=unit, actor=request.user, name=form.cleaned_data["name"]
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
@allowed_by(permissions.is_unit_officer)
def api_key_revoke(request, pk):
    unit = officer_unit(request)
    token = get_object_or_404(UnitApiToken, pk=pk, unit=unit)
    if services.revoke_api_key(token=token, actor=request.user):
        messages.success(request, _("金鑰「%(name)s」已停用。") % {"name": token.name})
    return redirect("volunteers:api_keys")
