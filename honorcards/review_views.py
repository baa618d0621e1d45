"""The reviewers' pages: the queue of their stage and one application with its review."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import allowed_by, has_role, require
from accounts.roles import Role
from core.params import id_param
from volunteers.permissions import can_see_full_identity_number

from . import permissions, selectors, services
from .application_views import application_for
from .forms import ReturnForm

PAGE_SIZE = 25


@allowed_by(permissions.is_reviewer)
def queue(request):
    stage = "centre" if has_role(request.user, Role.CENTRE_STAFF) else "bureau"
    unit_id = request.GET.get("unit", "")
    unit_id = id_param(unit_id)
    page = Paginator(selectors.queue(stage, unit_id=unit_id), PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for application in page.object_list:
        application.age_days = (now - application.submitted_at).days
    return render(
        request,
        "honorcards/queue.html",
        {"page": page, "stage": stage, "units": selectors.units_with_applications(), "unit_id": unit_id},
    )


@allowed_by(permissions.works_on_cards)
def application(request, pk):
    """Everything on one page: figures, the recomputed check, images side by side, earlier cards;
    the reviewer whose turn it is approves (A) or returns (R) here."""
    application = application_for(request, pk)
    can_review = permissions.can_review(request.user, application)
    form = ReturnForm(request.POST or None)
    if request.method == "POST":
        require(can_review)
        if form.is_valid():
            try:
                outcome = services.review_application(
                    application=application,
                    actor=request.user,
                    decision="return" if request.POST.get("action") == "return" else "approve",
                    reason=form.cleaned_data["reason"],
                    confirm_declared=form.cleaned_data["confirm_declared"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _review_message(outcome))
                stage = "centre" if has_role(request.user, Role.CENTRE_STAFF) else "bureau"
                nxt = selectors.queue(stage).first()
                return redirect(nxt or "honorcards:queue")
    result = selectors.recheck(application)
    return render(
        request,
        "honorcards/application.html",
        {
            "application": application,
            "result": result,
            "filed": application.eligibility,
            "form": form,
            "can_review": can_review,
            "can_resubmit": permissions.can_resubmit(request.user, application),
            "show_full_id": can_see_full_identity_number(request.user, application.volunteer),
            "pages": list(application.pages.all()),
            "cards": selectors.earlier_cards(application.volunteer),
            "issued": application.cards.order_by("-pk").first(),
        },
    )


def _review_message(outcome) -> str:
    if outcome.action == "return":
        return _("已退回申請單位補正。")
    if outcome.action == "centre_approve":
        return _("初審通過，已送社會局複審。")
    return _("複審通過，已核發榮譽卡 %(number)s。") % {"number": outcome.card.number}
