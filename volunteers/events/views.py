"""Event pages: the officer's events, shifts, the venue's QR code, sign-in/out and confirmation;
the volunteer's sign-up and the phone page opened from the QR code."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import allowed_by
from accounts.roles import Role
from core.feedback import add_service_errors, flash_errors
from core.roc import to_roc

from .. import permissions
from ..guards import officer_unit
from ..models import Event, Membership, Shift, ShiftSignup, SignupStatus
from . import selectors, services
from .forms import EventForm, ShiftForm, SignupAddForm

PAGE_SIZE = 50  # a unit's events, newest first (issue 21: staff lists are paginated)


def _unit_event(request, pk) -> Event:
    unit = officer_unit(request)
    return get_object_or_404(Event.objects.select_related("unit__organisation"), pk=pk, unit=unit)


@allowed_by(permissions.is_unit_officer)
def event_list(request):
    unit = officer_unit(request)
    # Counted per event in subqueries (evaluated for the page's rows only), not by joining shifts ×
    # sign-ups and counting distinct.
    shifts = Shift.objects.filter(event=OuterRef("pk")).order_by().values("event").annotate(n=Count("pk"))
    signups = (
        ShiftSignup.objects.filter(shift__event=OuterRef("pk"), status=SignupStatus.SIGNED_UP)
        .order_by()
        .values("shift__event")
        .annotate(n=Count("pk"))
    )
    items = (
        Event.objects.filter(unit=unit)
        .annotate(
            shift_count=Coalesce(Subquery(shifts.values("n"), output_field=IntegerField()), 0),
            signup_count=Coalesce(Subquery(signups.values("n"), output_field=IntegerField()), 0),
        )
        .order_by("-starts_on", "-pk")
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "volunteers/events/list.html", {"unit": unit, "page": page, "events": page.object_list}
    )


@allowed_by(permissions.is_unit_officer)
def event_create(request):
    unit = officer_unit(request)
    form = EventForm(request.POST or None, initial={"domain": unit.main_domain})
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(unit=unit, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("活動已建立，請新增班次。"))
            return redirect("volunteers:event_detail", pk=event.pk)
    return render(request, "volunteers/events/form.html", {"form": form, "unit": unit})


@allowed_by(permissions.is_unit_officer)
def event_detail(request, pk):
    event = _unit_event(request, pk)
    shifts = list(
        event.shifts.prefetch_related(
            _signups_prefetch(),
        )
    )
    today = timezone.localdate()
    for shift in shifts:
        for signup in shift.active_signups:
            signup.shift = shift
            signup.hours = services.signed_hours(signup)
            signup.flags = services.hours_flags(signup) if signup.signed_out_at else []
    return render(
        request,
        "volunteers/events/detail.html",
        {
            "event": event,
            "shifts": shifts,
            "shift_form": ShiftForm(initial={"date": max(event.starts_on, min(today, event.ends_on))}),
            "signup_form": SignupAddForm(event=event),
            "is_event_day": event.starts_on <= today <= event.ends_on,
        },
    )


def _signups_prefetch():
    return Prefetch(
        "signups",
        queryset=ShiftSignup.objects.filter(status=SignupStatus.SIGNED_UP)
        .select_related("volunteer", "service_record")
        .order_by("volunteer__name"),
        to_attr="active_signups",
    )


@allowed_by(permissions.is_unit_officer)
def shift_create(request, pk):
    event = _unit_event(request, pk)
    form = ShiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_shift(event=event, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("班次已新增。"))
            return redirect("volunteers:event_detail", pk=event.pk)
    return render(request, "volunteers/events/shift_form.html", {"form": form, "event": event})


@allowed_by(permissions.is_unit_officer)
def signup_add(request, pk):
    event = _unit_event(request, pk)
    form = SignupAddForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            signup = services.sign_up(
                shift=form.cleaned_data["shift"], volunteer=form.cleaned_data["volunteer"], actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            for warning in services.assignment_warnings(signup):
                messages.warning(request, warning)
            messages.success(
                request, _("已為 %(name)s 報名。") % {"name": form.cleaned_data["volunteer"].name}
            )
            return redirect("volunteers:event_detail", pk=event.pk)
    return render(request, "volunteers/events/signup_form.html", {"form": form, "event": event})


@require_POST
@allowed_by(permissions.is_unit_officer)
def signup_act(request, pk):
    unit = officer_unit(request)
    signup = get_object_or_404(
        ShiftSignup.objects.select_related("shift__event", "volunteer"), pk=pk, shift__event__unit=unit
    )
    action = request.POST.get("action")
    try:
        if action in ("sign_in", "sign_out"):
            for warning in services.officer_sign(signup=signup, actor=request.user, action=action):
                messages.warning(request, warning)
            flash = _("%(name)s 已簽到。") if action == "sign_in" else _("%(name)s 已簽退。")
            messages.success(request, flash % {"name": signup.volunteer.name})
        elif action == "confirm":
            record = services.confirm_hours(
                signup=signup,
                actor=request.user,
                hours=request.POST.get("hours") or None,
                accept_flags=request.POST.get("accept_flags") == "1",
            )
            messages.success(
                request,
                _("已確認 %(name)s %(hours)s 小時。")
                % {"name": signup.volunteer.name, "hours": f"{record.hours.normalize():f}"},
            )
        elif action == "cancel":
            services.cancel_signup(signup=signup, actor=request.user)
            messages.success(request, _("已取消 %(name)s 的報名。") % {"name": signup.volunteer.name})
        else:
            messages.error(request, _("不明的操作。"))
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("volunteers:event_detail", pk=signup.shift.event_id)


@allowed_by(permissions.is_unit_officer)
def event_qr(request, pk):
    """The current code, big, for the venue's screen: it changes every minute and the page fetches
    the new one itself (htmx), so a photo of it soon stops working."""
    event = _unit_event(request, pk)
    now = timezone.now()
    today = timezone.localdate(now)
    url = services.check_in_url(event, now) if event.starts_on <= today <= event.ends_on else None
    response = render(
        request,
        "volunteers/events/qr.html",
        {
            "event": event,
            "url": url,
            "svg": mark_safe(services.qr_svg(url)) if url else None,  # noqa: S308 (our own SVG)
            "today": today,
            "expires_at": services.code_expires_at(now),
            "refresh_seconds": max(settings.EVENT_CODE_PERIOD_SECONDS // 3, 5),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


# --- Volunteers -------------------------------------------------------------------------------------


def _volunteer(request):
    return getattr(request.user, "volunteer_profile", None)


@login_required
def open_events(request):
    """Events a volunteer may sign up for (their units' and the city's), and their own sign-ups."""
    volunteer = _volunteer(request)
    if volunteer is None:
        if request.user.role != Role.VOLUNTEER:
            raise PermissionDenied
        return render(request, "volunteers/events/open.html", {"volunteer": None})
    today = timezone.localdate()
    unit_ids = Membership.objects.filter(volunteer=volunteer, left_on__isnull=True).values("unit_id")
    shifts = (
        Shift.objects.filter(date__gte=today)
        .filter(Q(event__unit_id__in=unit_ids) | Q(event__is_city_event=True))
        .select_related("event__unit__organisation")
        .annotate(taken=Count("signups", filter=Q(signups__status=SignupStatus.SIGNED_UP)))
        .order_by("date", "starts_at")[:200]
    )
    mine = {
        s.shift_id: s
        for s in ShiftSignup.objects.filter(
            volunteer=volunteer, shift__date__gte=today, status=SignupStatus.SIGNED_UP
        )
    }
    items = [{"shift": s, "signup": mine.get(s.pk), "full": s.taken >= s.capacity} for s in shifts]
    return render(request, "volunteers/events/open.html", {"volunteer": volunteer, "items": items})


@require_POST
@login_required
def shift_sign_up(request, pk):
    shift = get_object_or_404(Shift.objects.select_related("event"), pk=pk)
    volunteer = _volunteer(request)
    if volunteer is None:
        raise PermissionDenied
    try:
        if request.POST.get("action") == "cancel":
            signup = get_object_or_404(ShiftSignup, shift=shift, volunteer=volunteer)
            services.cancel_signup(signup=signup, actor=request.user)
            messages.success(request, _("已取消報名。"))
        else:
            signup = services.sign_up(shift=shift, volunteer=volunteer, actor=request.user)
            messages.success(
                request,
                _("已報名「%(event)s」%(date)s %(time)s 班次。")
                % {
                    "event": shift.event.title,
                    "date": to_roc(shift.date),
                    "time": f"{shift.starts_at:%H:%M}",
                },
            )
            for warning in services.assignment_warnings(signup):
                messages.warning(request, warning)
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("volunteers:open_events")


@login_required
def event_check_in(request, pk, code):
    """The page the venue's QR code opens on the volunteer's phone: confirm sign-in or sign-out."""
    event = get_object_or_404(Event.objects.select_related("unit__organisation"), pk=pk)
    volunteer = _volunteer(request)
    error = selectors.code_refusal(event, code, volunteer)
    if request.method == "POST" and error is None:
        try:
            signup, action, warnings = services.scan_check_in(event=event, code=code, user=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            _flash_check_in(request, signup, action, warnings)
            return redirect(request.path)
    return render(
        request,
        "volunteers/events/check_in.html",
        {"event": event, **selectors.check_in_page(event, volunteer, error)},
        status=400 if error and request.method == "POST" else 200,
    )


def _flash_check_in(request, signup, action, warnings) -> None:
    for warning in warnings:
        messages.warning(request, warning)
    at = timezone.localtime(signup.signed_in_at if action == "sign_in" else signup.signed_out_at)
    flash = _("簽到成功（%(time)s）。") if action == "sign_in" else _("簽退成功（%(time)s）。")
    messages.success(request, flash % {"time": f"{at:%H:%M}"})
