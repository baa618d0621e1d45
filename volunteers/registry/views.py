"""Units, plans, volunteers, training, insurance, awards, résumé and statistics pages.

Anonymous → login; a role that never sees unit records → 403; another unit's record → 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import has_role, require, role_required
from accounts.roles import Role
from core.feedback import add_service_errors, flash_errors
from core.uploads import image_content_type

from .. import permissions
from ..models import InsurancePolicy, PlanStatus, ServicePlan, Training, Volunteer, VolunteerUnit
from ..statistics import selectors as statistics
from . import reports, selectors, services
from .forms import (
    AwardForm,
    ClaimForm,
    InsuredForm,
    LeaveForm,
    PlanForm,
    PolicyForm,
    ReturnForm,
    TrainingForm,
    UnitForm,
    UnitRegistrationForm,
    VolunteerEditForm,
    VolunteerForm,
    YearForm,
)

PAGE_SIZE = 50


def _optional_url(name, *args, **kwargs):
    try:
        return reverse(name, args=args, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def _staff_gate(request):
    """Anonymous → login; roles that never see unit records → 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(permissions.is_unit_staff(request.user))
    return None


def _viewable_unit(request, pk) -> VolunteerUnit:
    unit = get_object_or_404(VolunteerUnit.objects.select_related("organisation__competent_bureau"), pk=pk)
    require(permissions.can_view_unit(request.user, unit), hide=True)
    return unit


def _managed_unit(request, pk) -> VolunteerUnit:
    require(has_role(request.user, Role.UNIT_OFFICER))
    unit = get_object_or_404(VolunteerUnit.objects.select_related("organisation__competent_bureau"), pk=pk)
    require(permissions.can_manage_unit(request.user, unit), hide=True)
    return unit


def staff_view(view):
    """Decorator: the staff gate before the view runs."""

    def wrapped(request, *args, **kwargs):
        gate = _staff_gate(request)
        return gate or view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# --- Landing ----------------------------------------------------------------------------------


def index(request):
    """Sends each role to its work; tells the public what volunteering here is."""
    user = request.user
    context = {"unit": None, "volunteer": None}
    if user.is_authenticated:
        context["unit"] = permissions.unit_of(user)
        context["volunteer"] = Volunteer.objects.filter(user=user).first()
        context["can_register_unit"] = permissions.can_register_unit(user)
        context["can_claim"] = services.has_claimable_role(user) and context["volunteer"] is None
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


# --- Units ------------------------------------------------------------------------------------


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
    return render(request, "volunteers/unit_register.html", {"form": form})


@role_required(Role.UNIT_OFFICER)
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
    unit = _viewable_unit(request, pk)
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
            url = _optional_url(name)
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
    unit = _managed_unit(request, pk)
    org = unit.organisation
    initial = {
        "main_domain": unit.main_domain,
        "contact_person": unit.contact_person,
        "description": unit.description,
        "address": org.address,
        "phone": org.phone,
        "email": org.email,
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
    unit = _viewable_unit(request, pk)
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


# --- Plans ------------------------------------------------------------------------------------


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
    unit = _managed_unit(request, pk)
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
            "stage": "first" if plan.status == PlanStatus.SUBMITTED else "second",
            "return_form": ReturnForm(),
            "steps": _plan_steps(plan),
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


@require_POST
@staff_view
def plan_review(request, pk):
    plan = _plan(request, pk)
    require(permissions.can_return_plan(request.user, plan))
    action = request.POST.get("action")
    try:
        if action == "return":
            form = ReturnForm(request.POST)
            form.is_valid()
            services.return_plan(plan=plan, actor=request.user, reason=form.cleaned_data.get("reason", ""))
            messages.success(request, _("已退回補正，並通知單位承辦人。"))
        elif plan.status == PlanStatus.SUBMITTED:
            services.approve_plan_first_review(plan=plan, actor=request.user)
            messages.success(request, _("初審通過，已送目的事業主管機關複審。"))
        else:
            services.approve_plan_second_review(plan=plan, actor=request.user)
            messages.success(request, _("複審核備完成，單位即可登錄服務時數。"))
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


# --- Volunteers -------------------------------------------------------------------------------


@staff_view
def volunteer_list(request, pk):
    unit = _viewable_unit(request, pk)
    q = request.GET.get("q", "")
    include_left = request.GET.get("left") == "1"
    volunteers = selectors.volunteers_of_unit(unit, include_left=include_left, q=q)
    page = Paginator(volunteers, PAGE_SIZE).get_page(request.GET.get("page"))
    full_ids = permissions.is_officer_of(request.user, unit)
    insured = selectors.insured_ids([v.pk for v in page.object_list])
    for v in page.object_list:
        v.identity_display = v.identity_number if full_ids else v.masked_identity
        v.unit_membership = v.unit_memberships[0] if v.unit_memberships else None
        v.is_insured_now = v.pk in insured
    return render(
        request,
        "volunteers/volunteer_list.html",
        {
            "unit": unit,
            "page": page,
            "q": q,
            "include_left": include_left,
            "is_officer": permissions.is_officer_of(request.user, unit),
        },
    )


@staff_view
def volunteer_add(request, pk):
    unit = _managed_unit(request, pk)
    form = VolunteerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = services.register_volunteer(unit=unit, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已將 %(name)s 登錄為本單位志工。") % {"name": volunteer.name})
            return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
    return render(request, "volunteers/volunteer_form.html", {"form": form, "unit": unit, "volunteer": None})


def _volunteer(request, pk) -> Volunteer:
    try:
        volunteer = selectors.volunteer_detail(pk)
    except Volunteer.DoesNotExist:
        raise Http404 from None
    require(permissions.can_view_volunteer(request.user, volunteer), hide=True)
    return volunteer


@staff_view
def volunteer_detail(request, pk):
    volunteer = _volunteer(request, pk)
    user = request.user
    unit = permissions.unit_of(user)
    return render(
        request,
        "volunteers/volunteer_detail.html",
        {
            "volunteer": volunteer,
            "identity_display": volunteer.identity_number
            if permissions.can_see_full_identity_number(user, volunteer)
            else volunteer.masked_identity,
            "totals": selectors.volunteer_totals(volunteer),
            "can_manage": permissions.can_record_for_volunteer(user, volunteer),
            "can_award": permissions.can_record_award(user, volunteer),
            "membership_here": next(
                (m for m in volunteer.memberships.all() if unit and m.unit_id == unit.pk), None
            ),
            "leave_form": LeaveForm(),
            "insured_now": selectors.is_insured(volunteer),
        },
    )


@staff_view
def volunteer_edit(request, pk):
    volunteer = _volunteer(request, pk)
    require(permissions.can_record_for_volunteer(request.user, volunteer), hide=True)
    unit = permissions.unit_of(request.user)
    form = VolunteerEditForm.for_volunteer(volunteer, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        if not fields.get("photo"):
            fields.pop("photo", None)
        try:
            services.update_volunteer(volunteer=volunteer, actor=request.user, unit=unit, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("志工資料已更新。"))
            return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
    return render(
        request, "volunteers/volunteer_form.html", {"form": form, "unit": unit, "volunteer": volunteer}
    )


@require_POST
@staff_view
def volunteer_leave(request, pk):
    volunteer = _volunteer(request, pk)
    require(permissions.can_record_for_volunteer(request.user, volunteer), hide=True)
    form = LeaveForm(request.POST)
    form.is_valid()
    try:
        services.end_membership(
            volunteer=volunteer,
            actor=request.user,
            unit=permissions.unit_of(request.user),
            left_on=form.cleaned_data.get("left_on"),
            note=form.cleaned_data.get("note", ""),
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("已辦理離隊；志工的服務紀錄仍完整保留。"))
    return redirect("volunteers:volunteer_detail", pk=volunteer.pk)


@login_required
def volunteer_photo(request, pk):
    volunteer = get_object_or_404(Volunteer, pk=pk)
    require(permissions.can_view_volunteer(request.user, volunteer), hide=True)
    if not volunteer.photo:
        raise Http404
    response = FileResponse(volunteer.photo.open("rb"), content_type=image_content_type(volunteer.photo.name))
    response["Cache-Control"] = "private, no-store"
    return response


@staff_view
def training_add(request, pk):
    volunteer = _volunteer(request, pk)
    require(permissions.can_record_for_volunteer(request.user, volunteer), hide=True)
    form = TrainingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_training(
                volunteer=volunteer,
                actor=request.user,
                unit=permissions.unit_of(request.user),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("訓練紀錄已登錄。"))
            return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
    return render(
        request,
        "volunteers/simple_form.html",
        {"form": form, "volunteer": volunteer, "heading": _("登錄訓練紀錄"), "multipart": True},
    )


@login_required
def training_certificate(request, pk):
    training = get_object_or_404(Training.objects.select_related("volunteer"), pk=pk)
    require(permissions.can_view_volunteer(request.user, training.volunteer), hide=True)
    if not training.certificate:
        raise Http404
    response = FileResponse(
        training.certificate.open("rb"), content_type=image_content_type(training.certificate.name)
    )
    response["Cache-Control"] = "private, no-store"
    return response


@staff_view
def award_add(request, pk):
    volunteer = _volunteer(request, pk)
    require(permissions.can_record_award(request.user, volunteer))
    form = AwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_award(volunteer=volunteer, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("獎勵紀錄已登錄。"))
            return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
    return render(
        request,
        "volunteers/simple_form.html",
        {"form": form, "volunteer": volunteer, "heading": _("登錄獎勵表揚")},
    )


@staff_view
def award_thresholds(request):
    require(permissions.can_view_award_thresholds(request.user))
    thresholds = selectors.AWARD_THRESHOLDS
    people = selectors.volunteers_reaching(thresholds, unit_ids=permissions.statistics_unit_ids(request.user))
    groups = [
        {"threshold": t, "people": [p for p in people if p.threshold == t]}
        for t in sorted(thresholds, reverse=True)
    ]
    return render(request, "volunteers/award_thresholds.html", {"groups": groups, "total": len(people)})


# --- Insurance --------------------------------------------------------------------------------


@staff_view
def insurance_list(request, pk):
    unit = _viewable_unit(request, pk)
    is_officer = permissions.is_officer_of(request.user, unit)
    form = PolicyForm(request.POST or None) if is_officer else None
    if request.method == "POST":
        require(is_officer)
        if form.is_valid():
            try:
                policy = services.create_policy(unit=unit, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("保單已登錄，請勾選被保險的志工。"))
                return redirect("volunteers:insurance_detail", pk=policy.pk)
    today = timezone.localdate()
    active = selectors.volunteers_of_unit(unit).count()
    insured_now = len(
        selectors.insured_ids(selectors.volunteers_of_unit(unit).values_list("pk", flat=True), unit=unit)
    )
    return render(
        request,
        "volunteers/insurance_list.html",
        {
            "unit": unit,
            "policies": selectors.policies_of_unit(unit),
            "form": form,
            "today": today,
            "active": active,
            "insured_now": insured_now,
        },
    )


@staff_view
def insurance_detail(request, pk):
    policy = get_object_or_404(InsurancePolicy.objects.select_related("unit__organisation"), pk=pk)
    require(permissions.can_view_unit(request.user, policy.unit), hide=True)
    is_officer = permissions.is_officer_of(request.user, policy.unit)
    form = InsuredForm(
        request.POST or None,
        unit=policy.unit,
        initial={"volunteers": list(policy.insured.values_list("pk", flat=True))},
    )
    if request.method == "POST":
        require(is_officer)
        if form.is_valid():
            try:
                services.set_insured(
                    policy=policy, actor=request.user, volunteers=form.cleaned_data["volunteers"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("被保險人名單已更新。"))
                return redirect("volunteers:insurance_detail", pk=policy.pk)
    return render(
        request,
        "volunteers/insurance_detail.html",
        {
            "policy": policy,
            "form": form,
            "is_officer": is_officer,
            "insured": policy.insured.order_by("name"),
        },
    )


# --- Résumé -----------------------------------------------------------------------------------


@login_required
def my_resume(request):
    volunteer = Volunteer.objects.filter(user=request.user).first()
    if volunteer is None:
        return redirect("volunteers:claim")
    return redirect("volunteers:resume", pk=volunteer.pk)


@login_required
def resume(request, pk):
    volunteer = get_object_or_404(Volunteer, pk=pk)
    require(permissions.can_view_resume(request.user, volunteer), hide=True)
    context = selectors.resume(volunteer)
    context["identity_display"] = (
        volunteer.identity_number
        if permissions.can_see_full_identity_number(request.user, volunteer)
        else volunteer.masked_identity
    )
    context["is_self"] = volunteer.user_id == request.user.pk
    return render(request, "volunteers/resume.html", context)


@login_required
def resume_pdf(request, pk):
    from .resume import resume_pdf as build_pdf

    volunteer = get_object_or_404(Volunteer, pk=pk)
    require(permissions.can_view_resume(request.user, volunteer), hide=True)
    data = build_pdf(
        volunteer, full_identity=permissions.can_see_full_identity_number(request.user, volunteer)
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="resume-{volunteer.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def claim(request):
    existing = Volunteer.objects.filter(user=request.user).first()
    if existing is not None:
        return redirect("volunteers:resume", pk=existing.pk)
    require(services.has_claimable_role(request.user))
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = services.claim_volunteer_record(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已連結您的志工紀錄。"))
            return redirect("volunteers:resume", pk=volunteer.pk)
    return render(request, "volunteers/claim.html", {"form": form})


# --- Statistics -------------------------------------------------------------------------------


def _year(request) -> int:
    form = YearForm(request.GET or None)
    if form.is_valid() and form.cleaned_data.get("year"):
        return form.cleaned_data["year"]
    return timezone.localdate().year


@staff_view
def statistics_view(request):
    require(permissions.can_view_statistics(request.user))
    year = _year(request)
    unit_ids = permissions.statistics_unit_ids(request.user)
    data = statistics.cached_statistics_report(year=year, unit_ids=unit_ids)
    return render(
        request,
        "volunteers/statistics.html",
        {
            **data,
            "charts": statistics.charts(data),
            "year_form": YearForm(initial={"year": year}),
            "scoped": unit_ids is not None,
        },
    )


@staff_view
def statistics_xlsx(request):
    require(permissions.can_view_statistics(request.user))
    year = _year(request)
    data = statistics.cached_statistics_report(
        year=year, unit_ids=permissions.statistics_unit_ids(request.user)
    )
    response = HttpResponse(
        statistics.statistics_xlsx(data),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="volunteer-statistics-{year}.xlsx"'
    return response
