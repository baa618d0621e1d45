import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import has_role, require, role_required
from accounts.roles import Role
from core.feedback import flash_errors
from core.pagecache import cache_public_page
from core.params import id_list, id_param
from core.ratelimit import client_ip, hit
from core.uploads import image_content_type
from volunteers.models import Volunteer, VolunteerUnit
from volunteers.permissions import can_see_full_identity_number, unit_of

from . import permissions, selectors, services, signing
from .eligibility import MAX_DATE, MIN_DATE, Declared
from .forms import ApplicationForm, ReissueForm, ReturnForm, RevokeForm
from .models import Application, ApplicationStatus, BatchStatus, CardStatus, HonorCard, PrintBatch
from .selectors import check_eligibility

PAGE_SIZE = 25
CANDIDATES_PAGE_SIZE = 20
STAFF = (Role.UNIT_OFFICER, Role.CENTRE_STAFF, Role.CARD_REVIEWER)


# --- Public -----------------------------------------------------------------------------------


def rate_limited(request, bucket: str) -> bool:
    limit = settings.HONOR_CARD_CHECK_RATE_PER_MINUTE
    if not limit:
        return False
    return not hit(f"honorcards:{bucket}:{client_ip(request)}", limit, 60)


def _too_many():
    response = render_to_429()
    response["Retry-After"] = "60"
    return response


def render_to_429():
    return HttpResponse(
        "查詢次數過多，請一分鐘後再試。Too many requests.",
        status=429,
        content_type="text/plain; charset=utf-8",
    )


def _card_by_token(token) -> HonorCard:
    payload = signing.read_token(token)
    if payload is None:
        raise Http404
    card = HonorCard.objects.filter(nonce=payload.nonce).first()
    if card is None or card.number != payload.number or card.expires_on != payload.expires_on:
        raise Http404
    return card


@cache_public_page("honorcards")
def index(request):
    return render(
        request,
        "honorcards/index.html",
        {
            "min_years": settings.HONOR_CARD_MIN_YEARS,
            "min_hours": settings.HONOR_CARD_MIN_HOURS,
            "valid_years": settings.HONOR_CARD_VALID_YEARS,
            "is_officer": has_role(request.user, Role.UNIT_OFFICER),
            "is_centre": has_role(request.user, Role.CENTRE_STAFF),
            "is_reviewer": has_role(request.user, Role.CARD_REVIEWER),
        },
    )


@cache_public_page("honorcards", timeout=60)
def _verify_page(request, token):
    card = _card_by_token(token)
    return render(
        request,
        "honorcards/verify.html",
        {"card": card, "state": card.state, "today": timezone.localdate(), "token": token},
    )


def verify(request, token):
    """The page a venue's staff see after scanning a card: name, photo, expiry and status only."""
    if rate_limited(request, "verify"):
        return _too_many()
    response = _verify_page(request, token)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def verify_photo(request, token):
    if rate_limited(request, "photo"):
        return _too_many()
    card = _card_by_token(token)
    response = FileResponse(card.photo.open("rb"), content_type=image_content_type(card.photo.name))
    response["Cache-Control"] = "private, max-age=300"
    return response


def public_key(request):
    response = HttpResponse(signing.public_key_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'inline; filename="goodday-honor-card-ed25519.pem"'
    return response


# --- Eligibility and applying (units) ----------------------------------------------------------


def _volunteer(pk) -> Volunteer:
    return get_object_or_404(Volunteer, pk=pk)


def _as_of(request) -> datetime.date:
    try:
        as_of = datetime.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()
    return as_of if MIN_DATE <= as_of <= MAX_DATE else timezone.localdate()


@role_required(*STAFF)
def check(request, volunteer_id):
    volunteer = _volunteer(volunteer_id)
    require(permissions.can_check(request.user, volunteer), hide=True)
    as_of = _as_of(request)
    result = check_eligibility(volunteer, as_of=as_of)
    return render(
        request,
        "honorcards/check.html",
        {
            "volunteer": volunteer,
            "result": result,
            "as_of": as_of,
            "cards": selectors.earlier_cards(volunteer),
            "can_apply": permissions.can_apply_for(request.user, volunteer),
        },
    )


@role_required(Role.UNIT_OFFICER)
def eligible(request):
    """The unit's volunteers with their check; tick those eligible and apply for them at once."""
    unit = unit_of(request.user)
    require(unit is not None)
    today = timezone.localdate()
    if request.method == "POST":
        ids = id_list(request.POST.getlist("volunteer"))
        chosen = list(selectors.unit_candidates(unit).filter(pk__in=ids))
        if not chosen:
            messages.error(request, _("請至少勾選一位志工。"))
            return redirect("honorcards:eligible")
        created, refused = services.submit_many(unit=unit, volunteers=chosen, actor=request.user, as_of=today)
        if created:
            messages.success(
                request, _("已送出 %(count)s 件申請，待志推中心初審。") % {"count": len(created)}
            )
        for volunteer, errors in refused:
            messages.error(request, f"{volunteer.name}：{' '.join(errors)}")
        return redirect("honorcards:applications")
    show = request.GET.get("show", "eligible")
    page = Paginator(selectors.unit_candidates(unit), CANDIDATES_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.with_checks(page.object_list, as_of=today)
    if show == "eligible":
        rows = [row for row in rows if row[1].eligible]
    return render(
        request,
        "honorcards/eligible.html",
        {"unit": unit, "rows": rows, "page": page, "show": show, "today": today},
    )


@role_required(Role.UNIT_OFFICER)
def apply(request, volunteer_id):
    volunteer = _volunteer(volunteer_id)
    require(permissions.can_apply_for(request.user, volunteer), hide=True)
    unit = unit_of(request.user)
    today = timezone.localdate()
    result = check_eligibility(volunteer, as_of=today)
    initial = {
        "record_book_number": volunteer.record_book_number,
        "declared_start": volunteer.service_started_on,
    }
    form = ApplicationForm(
        request.POST or None, request.FILES or None, initial=initial, photo_required=not volunteer.photo
    )
    if request.method == "POST" and form.is_valid():
        photo = form.cleaned_data["photo"]
        if photo is None and volunteer.photo:
            from core.uploads import clean_image_upload

            with volunteer.photo.open("rb") as fh:
                photo = clean_image_upload(fh)
        try:
            application = services.submit_application(
                volunteer=volunteer,
                unit=unit,
                actor=request.user,
                record_book_number=form.cleaned_data["record_book_number"],
                photo=photo,
                cover=form.cleaned_data["record_book_cover"],
                pages=form.cleaned_data["record_book_pages"],
                declared=form.declared(),
                as_of=today,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, _("已送出 %(name)s 的榮譽卡申請，待志推中心初審。") % {"name": volunteer.name}
            )
            return redirect(application)
        if form.declared():
            result = check_eligibility(volunteer, as_of=today, declared=form.declared())
    return render(
        request,
        "honorcards/apply.html",
        {"volunteer": volunteer, "form": form, "result": result, "cards": selectors.earlier_cards(volunteer)},
    )


@role_required(*STAFF)
def applications(request):
    """A unit's own applications (officers); every open application (reviewers)."""
    status = request.GET.get("status", "")
    if has_role(request.user, Role.UNIT_OFFICER):
        unit = unit_of(request.user)
        require(unit is not None)
        qs = selectors.unit_applications(unit, status=status)
    else:
        unit = None
        qs = selectors.applications().order_by("-submitted_at", "-pk")
        if status:
            qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "honorcards/applications.html",
        {"page": page, "unit": unit, "status": status, "statuses": ApplicationStatus.choices},
    )


# --- Review -----------------------------------------------------------------------------------


@role_required(Role.CENTRE_STAFF, Role.CARD_REVIEWER)
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


def _application(request, pk) -> Application:
    application = get_object_or_404(selectors.applications(), pk=pk)
    require(permissions.can_view_application(request.user, application), hide=True)
    return application


@role_required(*STAFF)
def application(request, pk):
    """Everything on one page: figures, the recomputed check, images side by side, earlier cards;
    the reviewer whose turn it is approves (A) or returns (R) here."""
    application = _application(request, pk)
    can_review = permissions.can_review(request.user, application)
    form = ReturnForm(request.POST or None)
    if request.method == "POST":
        require(can_review)
        action = request.POST.get("action")
        if form.is_valid():
            try:
                if action == "return":
                    services.return_application(
                        application=application, actor=request.user, reason=form.cleaned_data["reason"]
                    )
                    messages.success(request, _("已退回申請單位補正。"))
                elif application.status == ApplicationStatus.SUBMITTED:
                    services.centre_approve(
                        application=application,
                        actor=request.user,
                        confirm_declared=form.cleaned_data["confirm_declared"],
                    )
                    messages.success(request, _("初審通過，已送社會局複審。"))
                else:
                    card = services.final_approve(application=application, actor=request.user)
                    messages.success(
                        request, _("複審通過，已核發榮譽卡 %(number)s。") % {"number": card.number}
                    )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                stage = "centre" if has_role(request.user, Role.CENTRE_STAFF) else "bureau"
                nxt = selectors.queue(stage).first()
                return redirect(nxt or "honorcards:queue")
    declared = Declared(
        service_started_on=application.declared_start,
        last_service_on=application.declared_last_service,
        hours=application.declared_hours,
    )
    as_of = timezone.localdate() if application.is_open else application.submitted_at.date()
    result = (
        check_eligibility(application.volunteer, as_of=as_of, declared=declared)
        if application.is_open
        else None
    )
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


@role_required(Role.UNIT_OFFICER)
def resubmit(request, pk):
    application = _application(request, pk)
    require(permissions.can_resubmit(request.user, application))
    initial = {
        "record_book_number": application.record_book_number,
        "paper": application.declared,
        "declared_start": application.declared_start,
        "declared_last_service": application.declared_last_service,
        "declared_hours": application.declared_hours,
    }
    form = ApplicationForm(request.POST or None, request.FILES or None, initial=initial, photo_required=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.resubmit_application(
                application=application,
                actor=request.user,
                record_book_number=form.cleaned_data["record_book_number"],
                photo=form.cleaned_data["photo"],
                cover=form.cleaned_data["record_book_cover"],
                pages=form.cleaned_data["record_book_pages"] or None,
                declared=form.declared(),
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已補正並重新送出，待志推中心初審。"))
            return redirect(application)
    result = check_eligibility(application.volunteer, as_of=timezone.localdate())
    return render(
        request,
        "honorcards/apply.html",
        {
            "volunteer": application.volunteer,
            "form": form,
            "result": result,
            "application": application,
            "cards": selectors.earlier_cards(application.volunteer),
        },
    )


@role_required(*STAFF)
def application_image(request, pk, which):
    application = _application(request, pk)
    if which == "photo":
        file = application.photo
    elif which == "cover":
        file = application.record_book_cover
    elif id_param(which) is not None:
        file = get_object_or_404(application.pages, pk=id_param(which)).image
    else:
        raise Http404
    if not file:
        raise Http404
    response = FileResponse(file.open("rb"), content_type=image_content_type(file.name))
    response["Cache-Control"] = "private, no-store"
    return response


# --- Cards ------------------------------------------------------------------------------------


@role_required(*STAFF)
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


@role_required(*STAFF)
def card(request, number):
    card = _card(request, number)
    return render(
        request,
        "honorcards/card.html",
        {
            "card": card,
            "can_print": permissions.can_print_card(request.user, card),
            "can_revoke": permissions.can_revoke(request.user, card) and card.status == "valid",
            "can_reissue": permissions.can_reissue(request.user, card) and card.status == "valid",
            "replaced_by": HonorCard.objects.filter(replaces=card).first(),
            "corrections": card.corrections.select_related("record"),
        },
    )


@role_required(*STAFF)
def card_pdf(request, number):
    """Download (and reprint, for a lost card) the card's PDF at any time."""
    card = _card(request, number)
    require(permissions.can_print_card(request.user, card))
    if card.status != CardStatus.VALID:  # a revoked or replaced card prints marked 作廢, never stored
        from .pdf import render_card

        response = HttpResponse(render_card(card), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="honor-card-{card.number}-void.pdf"'
        return response
    if not card.pdf:
        services.store_card_pdf(card)
    response = FileResponse(card.pdf.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="honor-card-{card.number}.pdf"'
    return response


@role_required(Role.CARD_REVIEWER)
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


@role_required(Role.CARD_REVIEWER)
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
@role_required(Role.UNIT_OFFICER, Role.CARD_REVIEWER)
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


@role_required(Role.UNIT_OFFICER, Role.CARD_REVIEWER)
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
@role_required(Role.UNIT_OFFICER, Role.CARD_REVIEWER)
def batch_retry(request, pk):
    batch = _batch(request, pk)
    try:
        services.retry_batch(batch=batch, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("honorcards:batch", pk=batch.pk)


@role_required(Role.UNIT_OFFICER, Role.CARD_REVIEWER)
def batch_pdf(request, pk):
    batch = _batch(request, pk)
    if batch.status != BatchStatus.DONE or not batch.pdf:
        raise Http404
    response = FileResponse(batch.pdf.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="honor-cards-batch-{batch.pk}.pdf"'
    return response
