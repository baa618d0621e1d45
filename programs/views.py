from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import allowed_by, require
from core.pagecache import cache_public_page
from core.params import id_param

from . import permissions, selectors, services, subscriptions
from .forms import (
    ClaimForm,
    CloseForm,
    DecisionForm,
    FreeOfferForm,
    GoodsLineFormSet,
    OfferForm,
    ProgramForm,
    ReturnForm,
    ServiceLineFormSet,
    UpdateForm,
    goods_initial,
    lines,
    services_initial,
)
from .models import GoodsNeed, Offer, OfferKind, Program, ProgramStatus, ServiceNeed
from .workflows import OFFER_FLOW

PAGE_SIZE = 12
STAFF_PAGE_SIZE = 50  # staff lists (issue 21)


def _errors(exc: ValidationError) -> list[str]:
    return exc.messages


# --- Public -----------------------------------------------------------------------------------


@cache_public_page("programs")
def catalogue(request):
    params = {key: request.GET.get(key, "") for key in ("q", "category", "bureau", "need", "sort")}
    params["state"] = request.GET.get("state", "open")
    programs = selectors.catalogue(**params)
    page = Paginator(programs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "programs/catalogue.html", {"page": page, "params": params, **selectors.filter_choices()}
    )


@cache_public_page("programs")
def detail(request, pk):
    try:
        program = selectors.program_detail(pk)
    except Program.DoesNotExist:
        raise Http404 from None
    require(permissions.can_view_program(request.user, program), hide=True)
    return render(
        request,
        "programs/detail.html",
        {
            "program": program,
            "give_url": f"{reverse('donations:give')}?program={program.pk}" if program.money_target else None,
            "can_offer": program.status == ProgramStatus.PUBLISHED,
            "can_edit": permissions.can_edit_program(request.user, program),
            "can_post_update": permissions.can_post_update(request.user, program),
            "can_close": permissions.can_close_program(request.user, program),
        },
    )


# --- Bureau workspace -------------------------------------------------------------------------


@allowed_by(permissions.is_caseworker)
def workspace(request):
    bureau_id = request.user.organisation_id
    goods = list(selectors.goods_due(bureau_id))
    for offer in goods:
        offer.receive_url = (
            reverse("donations:receive_goods", args=[offer.pk])
            if OFFER_FLOW.can(offer.status, "receive")
            else None
        )
    page = Paginator(selectors.bureau_programs(bureau_id), STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    programs = list(page.object_list)
    for program in programs:
        program.donors_url = reverse("donations:program_donors", args=[program.pk])
    return render(
        request,
        "programs/workspace.html",
        {
            "programs": programs,
            "page": page,
            "offers": selectors.offers_awaiting_decision(bureau_id),
            "unclaimed": selectors.unclaimed_offers()[:20],
            "goods_due": goods,
        },
    )


def _program_for_caseworker(request, pk) -> Program:
    program = get_object_or_404(Program.objects.select_related("bureau"), pk=pk)
    require(permissions.is_caseworker_of(request.user, program.bureau_id), hide=True)
    return program


def _edit(request, program: Program | None):
    form = ProgramForm(request.POST or None, request.FILES or None, instance=program)
    goods = GoodsLineFormSet(
        request.POST or None, prefix="goods", initial=goods_initial(program) if program else None
    )
    services_fs = ServiceLineFormSet(
        request.POST or None, prefix="services", initial=services_initial(program) if program else None
    )
    if request.method == "POST" and form.is_valid() and goods.is_valid() and services_fs.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            program = services.save_program(
                program=program,
                actor=request.user,
                fields=fields,
                goods=lines(goods),
                services=lines(services_fs),
            )
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("方案已儲存。"))
            return redirect("programs:edit", pk=program.pk)
    return render(
        request,
        "programs/form.html",
        {"form": form, "goods": goods, "services": services_fs, "program": program},
    )


@allowed_by(permissions.can_create_program)
def create(request):
    return _edit(request, None)


@allowed_by(permissions.is_caseworker)
def edit(request, pk):
    program = _program_for_caseworker(request, pk)
    if not program.is_editable:
        messages.info(request, _("此方案已送審或公開，無法修改。"))
        return redirect(program)
    return _edit(request, program)


@require_POST
@allowed_by(permissions.is_caseworker)
def submit(request, pk):
    program = _program_for_caseworker(request, pk)
    try:
        services.submit_program(program=program, actor=request.user)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
        return redirect("programs:edit", pk=pk)
    messages.success(request, _("方案已送社會局審核。"))
    return redirect("programs:workspace")


@allowed_by(permissions.is_caseworker)
def close(request, pk):
    program = _program_for_caseworker(request, pk)
    require(permissions.can_close_program(request.user, program))
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_program(program=program, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("方案已結案。"))
            return redirect(program)
    return render(request, "programs/close.html", {"form": form, "program": program})


@allowed_by(permissions.is_caseworker)
def post_update(request, pk):
    program = _program_for_caseworker(request, pk)
    require(permissions.can_post_update(request.user, program))
    form = UpdateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_update(program=program, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("進度已發布，關注此方案的捐贈者會收到通知。"))
            return redirect(program)
    return render(request, "programs/update_form.html", {"form": form, "program": program})


# --- Review -----------------------------------------------------------------------------------


@allowed_by(permissions.can_review_program)
def review_queue(request):
    page = Paginator(selectors.review_queue(), STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "programs/review_queue.html", {"page": page, "programs": page.object_list})


@allowed_by(permissions.can_review_program)
def review(request, pk):
    try:
        program = selectors.program_detail(pk)
    except Program.DoesNotExist:
        raise Http404 from None
    form = ReturnForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.approve_program(program=program, actor=request.user)
                messages.success(request, _("已核准公開「%(title)s」。") % {"title": program.title})
                return redirect("programs:review_queue")
            if action == "return" and form.is_valid():
                services.return_program(
                    program=program, actor=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("已退回「%(title)s」。") % {"title": program.title})
                return redirect("programs:review_queue")
        except ValidationError as exc:
            form.add_error("reason", exc)
    return render(
        request,
        "programs/review.html",
        {
            "program": program,
            "form": form,
            "can_review": permissions.can_review_program(request.user, program),
        },
    )


# --- Offers -----------------------------------------------------------------------------------


@login_required
def make_offer(request, pk):
    program = get_object_or_404(Program, pk=pk)
    require(permissions.can_make_offer(request.user, program), hide=True)
    goods_need = service_need = None
    if request.GET.get("goods"):
        goods_need = get_object_or_404(GoodsNeed, pk=id_param(request.GET["goods"]), program=program)
    elif request.GET.get("service"):
        service_need = get_object_or_404(ServiceNeed, pk=id_param(request.GET["service"]), program=program)
    initial = {}
    if goods_need:
        initial = {"item": goods_need.item, "unit": goods_need.unit, "quantity": goods_need.remaining or 1}
    elif service_need:
        initial = {"item": service_need.description, "unit": "小時"}
    form = OfferForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.make_offer(
                donor=request.user,
                kind=OfferKind.SERVICE if service_need else OfferKind.GOODS,
                program=program,
                goods_need=goods_need,
                service_need=service_need,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("謝謝您！承辦人回覆後會以電子郵件通知您。"))
            return redirect("programs:my_offers")
    return render(
        request,
        "programs/offer_form.html",
        {"form": form, "program": program, "goods_need": goods_need, "service_need": service_need},
    )


@login_required
def make_free_offer(request):
    form = FreeOfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        kind = data.pop("kind")
        try:
            services.make_offer(donor=request.user, kind=kind, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("謝謝您！有需要的局處認領後會通知您。"))
            return redirect("programs:my_offers")
    return render(request, "programs/offer_form.html", {"form": form, "program": None})


@login_required
def my_offers(request):
    if request.method == "POST":
        offer = get_object_or_404(Offer, pk=request.POST.get("offer"), donor=request.user)
        try:
            services.withdraw_offer(offer=offer, actor=request.user)
        except (PermissionDenied, ValidationError):  # an offer already answered (or not pending)
            messages.error(request, _("只能撤回自己尚未回覆的捐贈意向。"))
        else:
            messages.success(request, _("已撤回捐贈意向。"))
        return redirect("programs:my_offers")
    return render(request, "programs/my_offers.html", {"offers": selectors.offers_of_donor(request.user)})


@allowed_by(permissions.is_caseworker)
def offer_detail(request, pk):
    offer = get_object_or_404(
        Offer.objects.select_related("program", "goods_need", "service_need", "donor"), pk=pk
    )
    require(permissions.can_view_offer(request.user, offer), hide=True)
    form = DecisionForm(request.POST or None, initial={"quantity": offer.quantity})
    claim_form = ClaimForm(request.POST or None, bureau_id=request.user.organisation_id)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "decide" and form.is_valid():
                if form.cleaned_data["decision"] == "accept":
                    services.accept_offer(
                        offer=offer, actor=request.user, quantity=form.cleaned_data["quantity"]
                    )
                    messages.success(request, _("已接受，已通知捐贈者。"))
                else:
                    services.decline_offer(
                        offer=offer, actor=request.user, reason=form.cleaned_data["reason"]
                    )
                    messages.success(request, _("已婉拒，已通知捐贈者。"))
                return redirect("programs:workspace")
            if action == "claim" and claim_form.is_valid():
                services.claim_offer(
                    offer=offer, actor=request.user, program=claim_form.cleaned_data["program"]
                )
                messages.success(request, _("已認領此捐贈意向。"))
                return redirect("programs:offer", pk=offer.pk)
            if action == "delivered":
                services.record_offer_delivery(offer=offer, actor=request.user)
                messages.success(request, _("已登記送達。"))
                return redirect("programs:workspace")
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "programs/offer_detail.html",
        {
            "offer": offer,
            "form": form,
            "claim_form": claim_form,
            "can_decide": permissions.can_decide_offer(request.user, offer),
            "can_claim": permissions.can_claim_offer(request.user, offer),
            "can_deliver": permissions.can_record_delivery(request.user, offer),
        },
    )


def confirm_subscription(request, token):
    """The double opt-in link: a page with a button (mail scanners that open links change nothing)."""
    if request.method == "POST":
        subscription = subscriptions.confirm_subscription(token)
        if subscription is None:
            return render(request, "programs/subscription.html", {"state": "invalid"}, status=404)
        return render(
            request, "programs/subscription.html", {"state": "confirmed", "program": subscription.program}
        )
    return render(request, "programs/subscription.html", {"state": "confirm"})


def unsubscribe(request, token):
    if request.method == "POST":
        program = subscriptions.unsubscribe(token)
        if program is None:
            return render(request, "programs/subscription.html", {"state": "invalid"}, status=404)
        return render(request, "programs/subscription.html", {"state": "stopped", "program": program})
    return render(request, "programs/subscription.html", {"state": "stop"})
