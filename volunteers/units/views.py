"""The volunteer landing page, units (registration, pages, results) and their service plans.

Anonymous → login; a role that never sees unit records → 403; another unit's record → 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from accounts.permissions import allowed_by, require
from core.feedback import add_service_errors, flash_errors

from .. import permissions
from ..guards import PAGE_SIZE, managed_unit, optional_url, staff_view, viewable_unit
from ..models import PlanStatus, ServicePlan, Volunteer
from ..statistics import selectors as statistics
from ..workflows import plan_stage
from . import reports, selectors, services
from .forms import PlanForm, ReturnForm, UnitForm, UnitRegistrationForm


def index(request):
    """Sends each role to its work; tells the public what volunteering here is."""
    user = request.user
    context = {"unit": None, "volunteer": None}
    if user.is_authenticated:
        context["unit"] = permissions.unit_of(user)
        context["volunteer"] = Volunteer.objects.filter(user=user).first()
        context["can_register_unit"] = permissions.can_register_unit(user)
        context["can_claim"] = permissions.has_claimable_role(user) and context["volunteer"] is None
        context["can_review"] = permissions.can_review_plans(user)
        context["can_view_statistics"] = permissions.can_view_statistics(user)
        context["can_list_units"] = permissions.can_view_statistics(user)
        if context["can_review"]:
            context["queue_count"] = selectors.review_queue(user).count()
    today = timezone.localdate()
    context["figures"] = cache.get_or_set(
        f"volunteers:index-figures:{today}", lambda: statistics.volunteer_figures(year=today.year), 600
    )
    return render(request, "volunteers/index.html", context)


@login_required
def unit_register(request):
    require(permissions.can_register_unit(request.user))
    form = UnitRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.register_unit(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("運用單位已建立，您已成為單位承辦人。請先設定兩步驟驗證，再填寫年度服務計畫送出備案。"),
            )
            return redirect("volunteers:plan_create", pk=unit.pk)
    company = request.user.organisation if request.user.organisation_id else None
    return render(
        request,
        "volunteers/unit_register.html",
        # A company's coordinator: the unit will be the company's (VolunteerUnit.company).
        {"form": form, "company": company if company and company.kind == "company" else None},
    )


@allowed_by(permissions.is_unit_officer)
def unit_home(request):
    unit = permissions.unit_of(request.user)
    if unit is None:
        raise Http404
    return redirect("volunteers:unit_detail", pk=unit.pk)


@staff_view
def unit_list(request):
    require(permissions.can_view_statistics(request.user))
    units = selectors.units_for(request.user, unit_ids=permissions.statistics_unit_ids(request.user))
    q = request.GET.get("q", "").strip()
    if q:
        units = units.filter(organisation__name__icontains=q)
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "volunteers/unit_list.html", {"page": page, "q": q})


@staff_view
def unit_detail(request, pk):
    unit = viewable_unit(request, pk)
    today = timezone.localdate()
    plans = list(selectors.plans_of_unit(unit))
    is_officer = permissions.is_officer_of(request.user, unit)
    # The hours engineer's pages (service hours, events, imports, exports, API keys), when present.
    work_links = []
    if is_officer:
        for name, label in (
            ("volunteers:hours_list", _("服務時數")),
            ("volunteers:week_grid", _("週表登錄")),
            ("volunteers:event_list", _("志工活動與簽到退")),
            ("volunteers:import_list", _("匯入")),
            ("volunteers:exports", _("匯出")),
            ("volunteers:api_keys", _("API 金鑰")),
        ):
            url = optional_url(name)
            if url:
                work_links.append({"url": url, "label": label})
    return render(
        request,
        "volunteers/unit_detail.html",
        {
            "unit": unit,
            "work_links": work_links,
            "officers": selectors.officers_of(unit),
            "plans": plans,
            "is_officer": is_officer,
            "may_record_hours": permissions.unit_may_record_hours(unit),
            "has_plan_this_year": any(p.year == today.year for p in plans),
            "figures": statistics.volunteer_figures(year=today.year, unit_ids=[unit.pk]),
            "year": today.year,
        },
    )


@staff_view
def unit_edit(request, pk):
    unit = managed_unit(request, pk)
    org = unit.organisation
    initial = {
        "main_domain": unit.main_domain,
        "contact_person": unit.contact_person,
        "description": unit.description,
        "address": org.address,
        "phone": org.phone,
        "email": org.email,
        "latitude": unit.latitude,
        "longitude": unit.longitude,
    }
    form = UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_unit(unit=unit, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("單位資料已更新。"))
            return redirect("volunteers:unit_detail", pk=unit.pk)
    return render(request, "volunteers/unit_form.html", {"form": form, "unit": unit})


@staff_view
def unit_results(request, pk, year):
    """The year-end results report (服務成果) generated from the unit's records."""
    unit = viewable_unit(request, pk)
    if not 2000 <= year <= 2100:
        raise Http404
    report = reports.unit_year_results(unit, year)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            reports.unit_year_results_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="results-{unit.pk}-{year}.xlsx"'
        return response
    return render(request, "volunteers/unit_results.html", {"unit": unit, "report": report, "year": year})


def _plan(request, pk) -> ServicePlan:
    plan = get_object_or_404(
        ServicePlan.objects.select_related(
            "unit__organisation__competent_bureau", "created_by", "centre_reviewed_by", "bureau_reviewed_by"
        ),
        pk=pk,
    )
    require(permissions.can_view_plan(request.user, plan), hide=True)
    return plan


@staff_view
def plan_create(request, pk):
    unit = managed_unit(request, pk)
    year = timezone.localdate().year
    form = PlanForm(
        request.POST or None,
        initial={
            "year": year,
            "title": f"{year - 1911}年度志願服務計畫",
            "domain": unit.main_domain,
        },
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            plan = services.create_plan(unit=unit, actor=request.user, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("計畫已儲存為草稿；確認內容後請按「送出備案」。"))
            return redirect("volunteers:plan_detail", pk=plan.pk)
    return render(request, "volunteers/plan_form.html", {"form": form, "unit": unit, "plan": None})


@staff_view
def plan_edit(request, pk):
    plan = _plan(request, pk)
    require(permissions.is_officer_of(request.user, plan.unit), hide=True)
    require(permissions.can_edit_plan(request.user, plan))
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        plan.refresh_from_db()
        try:
            services.update_plan(plan=plan, actor=request.user, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("計畫已更新。"))
            return redirect("volunteers:plan_detail", pk=plan.pk)
    return render(request, "volunteers/plan_form.html", {"form": form, "unit": plan.unit, "plan": plan})


@staff_view
def plan_detail(request, pk):
    plan = _plan(request, pk)
    return render(
        request,
        "volunteers/plan_detail.html",
        {
            "plan": plan,
            "can_edit": permissions.can_edit_plan(request.user, plan),
            "can_submit": permissions.can_submit_plan(request.user, plan),
            "can_review": permissions.can_return_plan(request.user, plan),
            "stage": plan_stage(plan),
            "return_form": ReturnForm(),
            "steps": _plan_steps(plan),
            "returns": selectors.plan_returns(plan),
        },
    )


def _plan_steps(plan):
    order = [PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.CENTRE_APPROVED, PlanStatus.APPROVED]
    labels = [_("單位填寫"), _("志推中心初審"), _("主管機關複審"), _("核備完成")]
    current = order.index(plan.status) if plan.status in order else 0
    return [
        {"label": label, "done": i < current or plan.status == PlanStatus.APPROVED, "current": i == current}
        for i, label in enumerate(labels)
    ]


@require_POST
@staff_view
def plan_submit(request, pk):
    plan = _plan(request, pk)
    require(permissions.is_officer_of(request.user, plan.unit), hide=True)
    try:
        services.submit_plan(plan=plan, actor=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("計畫已送出，等待志願服務推廣中心初審。"))
    return redirect("volunteers:plan_detail", pk=plan.pk)


PLAN_REVIEW_MESSAGES = {
    "return": _lazy("已退回補正，並通知單位承辦人。"),
    "approve_first": _lazy("初審通過，已送目的事業主管機關複審。"),
    "approve_second": _lazy("複審核備完成，單位即可登錄服務時數。"),
}


@require_POST
@staff_view
def plan_review(request, pk):
    plan = _plan(request, pk)
    require(permissions.can_return_plan(request.user, plan))
    decision = "return" if request.POST.get("action") == "return" else "approve"
    form = ReturnForm(request.POST)
    form.is_valid()
    try:
        move = services.review_plan(
            plan=plan, actor=request.user, decision=decision, reason=form.cleaned_data.get("reason", "")
        )
        messages.success(request, PLAN_REVIEW_MESSAGES[move])
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("volunteers:plan_detail", pk=plan.pk)
    return redirect("volunteers:review_queue")


@staff_view
def review_queue(request):
    require(permissions.can_review_plans(request.user))
    plans = selectors.review_queue(request.user)
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "volunteers/review_queue.html",
        {"page": page, "first_review": permissions.is_first_reviewer(request.user)},
    )
