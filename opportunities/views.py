"""Opportunity pages: the public board and each opportunity's page (cached for anonymous
visitors), applying and withdrawing (signed in), and the unit officer's posting and decisions."""

import io
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import allowed_by, require
from core.feedback import add_service_errors, flash_errors
from core.pagecache import cache_public_page
from core.tabular import csv_writer
from volunteers.events.forms import ShiftForm
from volunteers.guards import officer_unit
from volunteers.models import ServiceDomain, Volunteer

from . import applications, opendata, permissions, selectors, services
from .forms import ApplicationForm, DecisionForm, OpportunityForm
from .models import Application, Opportunity, OpportunityKind, Suitability

PAGE_SIZE = 20
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


# --- Public -----------------------------------------------------------------------------------


@cache_public_page(services.PAGE_CACHE)
def board(request):
    filters = selectors.clean_filters(request.GET)
    page = Paginator(selectors.board(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "opportunities/board.html",
        {
            "page": page,
            "filters": filters,
            "districts": selectors.districts(),
            "domains": ServiceDomain.choices,
            "kinds": OpportunityKind.choices,
            "suitabilities": Suitability.choices,
            "map_url": reverse("dashboard:map") + "?kind=opportunity",
        },
    )


def _structured_data(request, opportunity) -> str:
    """schema.org JobPosting (employmentType VOLUNTEER), the type search engines read for
    openings; a data block, not a script, so the CSP does not apply to it."""
    data = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": opportunity.title,
        "description": opportunity.description,
        "employmentType": "VOLUNTEER",
        "datePosted": (opportunity.published_at or opportunity.created_at).date().isoformat(),
        "validThrough": opportunity.ends_on.isoformat(),
        "hiringOrganization": {"@type": "Organization", "name": opportunity.unit.name},
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "streetAddress": opportunity.venue,
                "addressLocality": opportunity.district,
                "addressRegion": settings.CITY_NAME,
                "addressCountry": "TW",
            },
        },
        "totalJobOpenings": opportunity.capacity,
        "url": request.build_absolute_uri(reverse("opportunities:detail", args=[opportunity.pk])),
    }
    if opportunity.latitude is not None:
        data["jobLocation"]["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(opportunity.latitude),
            "longitude": float(opportunity.longitude),
        }
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES))  # noqa: S308 (escaped)


@cache_public_page(services.PAGE_CACHE)
def detail(request, pk):
    try:
        opportunity = selectors.public_detail(pk)
    except Opportunity.DoesNotExist:
        raise Http404 from None
    require(permissions.can_view_opportunity(request.user, opportunity), hide=True)
    return render(
        request,
        "opportunities/detail.html",
        {
            "opportunity": opportunity,
            "shifts": opportunity.event.shifts.all(),
            "places_left": max(opportunity.capacity - opportunity.accepted, 0),
            "structured_data": _structured_data(request, opportunity),
            "application": selectors.live_application(request.user, opportunity),
            # Visitors see the button (it asks them to sign in); staff accounts cannot apply.
            "may_apply": opportunity.is_open
            and (not request.user.is_authenticated or permissions.can_apply(request.user)),
            "can_manage": permissions.can_manage_opportunity(request.user, opportunity),
        },
    )


@cache_public_page(services.PAGE_CACHE)
def open_data_csv(request):
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(opendata.CSV_HEADER)
    writer.writerows(opendata.csv_rows(opendata.records(absolute=request.build_absolute_uri)))
    response = HttpResponse(
        ("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="goodday-opportunities.csv"'
    return response


# --- Applying ---------------------------------------------------------------------------------


@login_required
def apply(request, pk):
    opportunity = get_object_or_404(Opportunity.objects.select_related("unit__organisation", "event"), pk=pk)
    require(permissions.can_view_opportunity(request.user, opportunity), hide=True)
    require(permissions.can_apply(request.user))
    if selectors.live_application(request.user, opportunity):
        messages.info(request, _("您已報名這則招募。"))
        return redirect("opportunities:my_applications")
    if not opportunity.is_open:
        messages.error(request, _("這則招募目前不接受報名。"))
        return redirect("opportunities:detail", pk=pk)
    needs_identity = not Volunteer.objects.filter(user=request.user).exists()
    form = ApplicationForm(
        request.POST or None,
        opportunity=opportunity,
        needs_identity=needs_identity,
        initial={"name": request.user.name, "phone": request.user.phone},
    )
    if request.method == "POST" and form.is_valid():
        try:
            applications.apply(opportunity=opportunity, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已送出報名，運用單位審核後會以電子郵件通知您。"))
            return redirect("opportunities:my_applications")
    return render(
        request,
        "opportunities/apply.html",
        {"form": form, "opportunity": opportunity, "needs_identity": needs_identity},
    )


@login_required
def my_applications(request):
    items = list(selectors.applications_of_user(request.user))
    for item in items:
        item.may_withdraw = applications.withdrawable(item)
    return render(request, "opportunities/my_applications.html", {"applications": items})


@require_POST
@login_required
def withdraw(request, pk):
    application = get_object_or_404(Application, pk=pk, applicant=request.user)
    try:
        applications.withdraw(application=application, actor=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("已撤回報名。"))
    return redirect("opportunities:my_applications")


# --- The unit officer -------------------------------------------------------------------------


def _own(request, pk) -> Opportunity:
    unit = officer_unit(request)
    return get_object_or_404(
        Opportunity.objects.select_related("unit__organisation", "event"), pk=pk, unit=unit
    )


@allowed_by(permissions.manages_opportunities)
def manage_list(request):
    unit = officer_unit(request)
    return render(
        request, "opportunities/manage_list.html", {"unit": unit, "opportunities": selectors.of_unit(unit)}
    )


def _form_page(request, opportunity: Opportunity | None):
    unit = officer_unit(request)
    initial = {} if opportunity else {"domain": unit.main_domain, "contact_name": unit.contact_person}
    form = OpportunityForm(request.POST or None, instance=opportunity, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.OPPORTUNITY_FIELDS}
        try:
            if opportunity is None:
                opportunity = services.create_opportunity(unit=unit, actor=request.user, **data)
                messages.success(request, _("已建立招募草稿；新增班次後即可刊登。"))
            else:
                services.update_opportunity(opportunity=opportunity, actor=request.user, **data)
                messages.success(request, _("招募資料已更新。"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("opportunities:manage_detail", pk=opportunity.pk)
    return render(
        request, "opportunities/form.html", {"form": form, "opportunity": opportunity, "unit": unit}
    )


@allowed_by(permissions.manages_opportunities)
def manage_new(request):
    return _form_page(request, None)


@allowed_by(permissions.manages_opportunities)
def manage_edit(request, pk):
    opportunity = _own(request, pk)
    opportunity.refresh_from_db()
    return _form_page(request, opportunity)


@allowed_by(permissions.manages_opportunities)
def manage_detail(request, pk):
    opportunity = _own(request, pk)
    items = list(selectors.applications_of(opportunity))
    accepted = sum(1 for a in items if a.status == "accepted")
    waiting = [a for a in items if a.status == "waitlisted"]  # in the order they applied
    for position, application in enumerate(waiting, 1):
        application.waiting_position = position  # who a reopened place goes to next
    return render(
        request,
        "opportunities/manage_detail.html",
        {
            "opportunity": opportunity,
            "applications": items,
            "accepted": accepted,
            "shifts": opportunity.event.shifts.all(),
            "shift_form": ShiftForm(),
        },
    )


@require_POST
@allowed_by(permissions.manages_opportunities)
def manage_status(request, pk):
    opportunity = _own(request, pk)
    action = request.POST.get("action")
    try:
        if action == "publish":
            services.publish_opportunity(opportunity=opportunity, actor=request.user)
            messages.success(request, _("招募已刊登。"))
        elif action == "close":
            services.close_opportunity(opportunity=opportunity, actor=request.user)
            messages.success(request, _("招募已結束。"))
        else:
            messages.error(request, _("不明的動作。"))
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("opportunities:manage_detail", pk=pk)


@allowed_by(permissions.manages_opportunities)
def manage_shift_new(request, pk):
    opportunity = _own(request, pk)
    form = ShiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_shift(opportunity=opportunity, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("班次已新增。"))
            return redirect("opportunities:manage_detail", pk=pk)
    return render(request, "opportunities/shift_form.html", {"form": form, "opportunity": opportunity})


@allowed_by(permissions.manages_opportunities)
def decide(request, pk):
    unit = officer_unit(request)
    application = get_object_or_404(
        Application.objects.select_related("opportunity__event", "applicant", "volunteer").prefetch_related(
            "shifts"
        ),
        pk=pk,
        opportunity__unit=unit,
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            warnings = applications.decide(
                application=application,
                actor=request.user,
                action=form.cleaned_data["action"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(request, _("已完成審核並通知報名者。"))
            return redirect("opportunities:manage_detail", pk=application.opportunity_id)
    return render(request, "opportunities/decide.html", {"form": form, "application": application})
