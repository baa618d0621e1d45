"""A unit's pages: a volunteer's eligibility check, the eligible list, applying (one or many),
its applications, resubmitting a returned one and the application's images."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import allowed_by, has_role, require
from accounts.roles import Role
from core.params import id_list, id_param
from core.uploads import image_content_type
from volunteers.models import Volunteer
from volunteers.permissions import unit_of

from . import permissions, selectors, services
from .eligibility import MAX_DATE, MIN_DATE
from .forms import ApplicationForm
from .models import Application, ApplicationStatus
from .selectors import check_eligibility

PAGE_SIZE = 25
CANDIDATES_PAGE_SIZE = 20


def application_for(request, pk) -> Application:
    """The application, if the user may see it (404 otherwise)."""
    application = get_object_or_404(selectors.applications(), pk=pk)
    require(permissions.can_view_application(request.user, application), hide=True)
    return application


def _volunteer(pk) -> Volunteer:
    return get_object_or_404(Volunteer, pk=pk)


def _as_of(request) -> datetime.date:
    try:
        as_of = datetime.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()
    return as_of if MIN_DATE <= as_of <= MAX_DATE else timezone.localdate()


@allowed_by(permissions.works_on_cards)
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


@allowed_by(permissions.applies_for_cards)
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


@allowed_by(permissions.applies_for_cards)
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
        photo = form.cleaned_data["photo"] or services.photo_on_file(volunteer)
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


@allowed_by(permissions.works_on_cards)
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


@allowed_by(permissions.applies_for_cards)
def resubmit(request, pk):
    application = application_for(request, pk)
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


@allowed_by(permissions.works_on_cards)
def application_image(request, pk, which):
    application = application_for(request, pk)
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
