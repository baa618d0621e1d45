"""Large events' volunteer plans: list, file, edit, submit, review, bulk enrolment.

Anonymous → login; a role without plans → 403; another organiser's or bureau's plan → 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.permissions import require
from audit.models import AuditEvent
from core.feedback import add_service_errors, flash_errors
from volunteers.permissions import unit_of

from . import permissions, selectors, services
from .forms import EnrolForm, PlanForm, ReturnForm
from .models import LargeEventPlan, LargeEventPlanStatus
from .workflows import PLAN_FLOW


def _plan(request, pk) -> LargeEventPlan:
    plan = get_object_or_404(LargeEventPlan.objects.select_related(*selectors.RELATED), pk=pk)
    require(permissions.can_view_plan(request.user, plan), hide=True)
    return plan


@login_required
def plan_list(request):
    require(permissions.can_list_plans(request.user))
    return render(
        request,
        "largeevents/list.html",
        {"plans": selectors.plans_for(request.user), "can_create": permissions.can_create_plan(request.user)},
    )


@login_required
def plan_create(request):
    require(permissions.can_create_plan(request.user))
    unit = unit_of(request.user)
    require(unit is not None)
    form = PlanForm(
        request.POST or None,
        events=selectors.events_without_plan(unit),
        policies=selectors.unit_policies(unit),
        initial={"competent_bureau": unit.organisation.competent_bureau_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已建立志工計畫草稿；確認保險與訓練後請送出審查。"))
            return redirect("largeevents:detail", pk=plan.pk)
    return render(request, "largeevents/form.html", {"form": form, "plan": None})


@login_required
def plan_edit(request, pk):
    plan = _plan(request, pk)
    require(permissions.can_edit_plan(request.user, plan))
    fields = services.PLAN_FIELDS
    form = PlanForm(
        request.POST or None,
        events=None,
        policies=selectors.unit_policies(plan.event.unit),
        with_event=False,
        initial={f: getattr(plan, f) for f in fields},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(plan=plan, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已儲存志工計畫。"))
            return redirect("largeevents:detail", pk=plan.pk)
    return render(request, "largeevents/form.html", {"form": form, "plan": plan})


@login_required
def plan_detail(request, pk):
    plan = _plan(request, pk)
    user = request.user
    history = [
        {"event": e, "label": _history_label(e.action)}
        for e in AuditEvent.objects.filter(
            target_type="largeevents.largeeventplan",
            target_id=str(plan.pk),
            action__startswith="large_event_plan.",
        ).order_by("at", "pk")
    ]
    return render(
        request,
        "largeevents/detail.html",
        {
            "plan": plan,
            "figures": selectors.plan_figures(plan),
            "problems": services.submission_problems(plan)
            if plan.status in ("draft", "returned", "submitted")
            else [],
            "can_edit": permissions.can_edit_plan(user, plan),
            "can_submit": permissions.can_submit_plan(user, plan),
            "can_withdraw": permissions.can_withdraw_plan(user, plan),
            "can_review": permissions.can_review_plan(user, plan),
            "can_enrol": permissions.can_enrol(user, plan),
            "return_form": ReturnForm(),
            "enrol_form": EnrolForm(shifts=plan.event.shifts.filter(date__gte=timezone.localdate()))
            if permissions.can_enrol(user, plan)
            else None,
            "actions": PLAN_FLOW.actions_from(plan.status),
            "history": history,
        },
    )


HISTORY_LABELS = {
    "created": gettext_lazy("建立草稿"),
    "edited": gettext_lazy("修改計畫"),
    "volunteers_enrolled": gettext_lazy("匯入活動志工"),
}


def _history_label(action: str) -> str:
    key = action.removeprefix("large_event_plan.")
    if key in LargeEventPlanStatus.values:
        return str(LargeEventPlanStatus(key).label)
    return str(HISTORY_LABELS.get(key, key))


@require_POST
@login_required
def plan_submit(request, pk):
    plan = _plan(request, pk)
    require(permissions.is_organiser(request.user, plan))
    try:
        if request.POST.get("action") == "withdraw":
            services.withdraw_plan(plan=plan, actor=request.user)
            messages.success(request, _("已撤回志工計畫。"))
        else:
            services.submit_plan(plan=plan, actor=request.user)
            messages.success(request, _("已送出，等待主管機關審查。"))
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("largeevents:detail", pk=plan.pk)


@require_POST
@login_required
def plan_review(request, pk):
    plan = _plan(request, pk)
    require(permissions.is_reviewer(request.user, plan))
    form = ReturnForm(request.POST)
    form.is_valid()
    try:
        if request.POST.get("action") == "approve":
            services.approve_plan(plan=plan, actor=request.user)
            messages.success(request, _("志工計畫審查通過。"))
        else:
            services.return_plan(plan=plan, actor=request.user, reason=form.cleaned_data.get("reason", ""))
            messages.success(request, _("已退回補正。"))
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("largeevents:detail", pk=plan.pk)


@login_required
def plan_enrol(request, pk):
    plan = _plan(request, pk)
    require(permissions.can_enrol(request.user, plan))
    form = EnrolForm(
        request.POST or None,
        request.FILES or None,
        shifts=plan.event.shifts.filter(date__gte=timezone.localdate()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            count = services.enrol_from_file(
                plan=plan,
                actor=request.user,
                shift=form.cleaned_data["shift"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已匯入並排班 %(count)s 位志工。") % {"count": count})
            return redirect("largeevents:detail", pk=plan.pk)
    return render(request, "largeevents/enrol.html", {"form": form, "plan": plan})


@login_required
def enrol_template(request):
    require(permissions.can_create_plan(request.user))
    response = HttpResponse(services.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="large-event-volunteers.csv"'
    return response
