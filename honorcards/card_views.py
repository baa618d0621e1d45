"""Issued cards: the list, one card, its PDF, revoking and reissuing, and print batches."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import allowed_by, has_role, require
from accounts.roles import Role
from core.feedback import flash_errors
from core.params import id_param
from volunteers.models import VolunteerUnit
from volunteers.permissions import unit_of

from . import permissions, selectors, services
from .forms import ReissueForm, RevokeForm
from .models import BatchStatus, CardStatus, HonorCard, PrintBatch
from .pdf import render_card
from .workflows import CARD_FLOW

PAGE_SIZE = 25


@allowed_by(permissions.works_on_cards)
def cards(request):
    q = request.GET.get("q", "").strip()
    state = request.GET.get("state", "")
    if has_role(request.user, Role.UNIT_OFFICER):
        unit = unit_of(request.user)
        require(unit is not None)
    else:
        unit = None
        unit_id = request.GET.get("unit", "")
        if id_param(unit_id) is not None:
            unit = VolunteerUnit.objects.filter(pk=id_param(unit_id)).first()
    page = Paginator(selectors.cards(unit=unit, q=q, state=state), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    batches = PrintBatch.objects.filter(created_by=request.user).order_by("-created_at")[:5]
    return render(
        request,
        "honorcards/cards.html",
        {
            "page": page,
            "q": q,
            "state": state,
            "unit": unit,
            "batches": batches,
            "can_print": has_role(request.user, Role.UNIT_OFFICER, Role.CARD_REVIEWER),
        },
    )


def _card(request, number) -> HonorCard:
    card = get_object_or_404(
        HonorCard.objects.select_related("unit__organisation", "volunteer"), number=number
    )
    require(permissions.can_view_card(request.user, card), hide=True)
    return card


@allowed_by(permissions.works_on_cards)
def card(request, number):
    card = _card(request, number)
    return render(
        request,
        "honorcards/card.html",
        {
            "card": card,
            "can_print": permissions.can_print_card(request.user, card),
            "can_revoke": permissions.can_revoke(request.user, card) and CARD_FLOW.can(card.status, "revoke"),
            "can_reissue": permissions.can_reissue(request.user, card)
            and CARD_FLOW.can(card.status, "reissue"),
            "replaced_by": HonorCard.objects.filter(replaces=card).first(),
            "corrections": card.corrections.select_related("record"),
        },
    )


@allowed_by(permissions.works_on_cards)
def card_pdf(request, number):
    """Download (and reprint, for a lost card) the card's PDF at any time."""
    card = _card(request, number)
    require(permissions.can_print_card(request.user, card))
    if card.status != CardStatus.VALID:  # a revoked or replaced card prints marked 作廢, never stored
        response = HttpResponse(render_card(card), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="honor-card-{card.number}-void.pdf"'
        return response
    if not card.pdf:
        services.store_card_pdf(card)
    response = FileResponse(card.pdf.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="honor-card-{card.number}.pdf"'
    return response


@allowed_by(permissions.manages_cards)
def revoke(request, number):
    card = _card(request, number)
    require(permissions.can_revoke(request.user, card))
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_card(card=card, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("榮譽卡 %(number)s 已註銷。") % {"number": card.number})
            return redirect(card)
    return render(request, "honorcards/card_action.html", {"card": card, "form": form, "action": "revoke"})


@allowed_by(permissions.manages_cards)
def reissue(request, number):
    card = _card(request, number)
    require(permissions.can_reissue(request.user, card))
    form = ReissueForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.reissue_card(
                card=card,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                photo=form.cleaned_data["photo"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("已換發新卡 %(new)s，舊卡 %(old)s 已失效。") % {"new": new.number, "old": card.number},
            )
            return redirect(new)
    return render(request, "honorcards/card_action.html", {"card": card, "form": form, "action": "reissue"})


@require_POST
@allowed_by(permissions.prints_cards)
def batch_print(request):
    numbers = request.POST.getlist("card")
    qs = HonorCard.objects.filter(number__in=numbers, status=CardStatus.VALID)
    unit = None
    if has_role(request.user, Role.UNIT_OFFICER):
        unit = unit_of(request.user)
        qs = qs.filter(unit=unit)
    try:
        batch = services.create_print_batch(cards=qs, actor=request.user, unit=unit)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("honorcards:cards")
    return redirect("honorcards:batch", pk=batch.pk)


def _batch(request, pk) -> PrintBatch:
    batch = get_object_or_404(PrintBatch, pk=pk)
    require(batch.created_by_id == request.user.pk, hide=True)
    return batch


@allowed_by(permissions.prints_cards)
def batch(request, pk):
    batch = _batch(request, pk)
    template = (
        "honorcards/_batch_progress.html" if request.headers.get("HX-Request") else "honorcards/batch.html"
    )
    return render(
        request,
        template,
        {"batch": batch, "running": batch.status in (BatchStatus.PENDING, BatchStatus.RUNNING)},
    )


@require_POST
@allowed_by(permissions.prints_cards)
def batch_retry(request, pk):
    batch = _batch(request, pk)
    try:
        services.retry_batch(batch=batch, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("honorcards:batch", pk=batch.pk)


@allowed_by(permissions.prints_cards)
def batch_pdf(request, pk):
    batch = _batch(request, pk)
    if batch.status != BatchStatus.DONE or not batch.pdf:
        raise Http404
    response = FileResponse(batch.pdf.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="honor-cards-batch-{batch.pk}.pdf"'
    return response
