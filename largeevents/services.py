"""Writes for large events' volunteer plans: one function per move of ``PLAN_FLOW``, each atomic,
the plan row locked, audited; and the bulk enrolment of an approved plan's volunteers."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import OrganisationKind, Role
from audit.services import diff, record_event
from core.notify import people, send_notification
from volunteers.events import services as event_services
from volunteers.imports import files
from volunteers.imports.volunteer_rows import validate_volunteer_rows
from volunteers.models import Event, Shift, SignupStatus
from volunteers.registry import services as registry

from . import permissions
from .models import LargeEventPlan
from .workflows import PLAN_FLOW

PLAN_FIELDS = (
    "competent_bureau",
    "expected_attendance",
    "duties",
    "headcount",
    "insurance_policy",
    "training_plan",
    "training_hours",
)
MAX_ENROL_ROWS = 5000
ENROL_COLUMNS = [c for c in files.VOLUNTEER_COLUMNS if c.key in {
    "name", "identity_kind", "identity_number", "birth_date", "sex", "phone", "email", "address"
}]  # fmt: skip


def _require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("您沒有權限執行此操作。"))


def _clean(fields: dict, event: Event) -> None:
    errors = {}
    bureau = fields.get("competent_bureau")
    if bureau is None or not bureau.is_bureau:
        errors["competent_bureau"] = _("請選擇審查此活動的主管機關（局處）。")
    if not (fields.get("duties") or "").strip():
        errors["duties"] = _("請填寫志工勤務內容。")
    headcount = fields.get("headcount")
    if headcount is None or not 1 <= headcount <= 100_000:
        errors["headcount"] = _("志工人數應為 1 至 100,000 人。")
    attendance = fields.get("expected_attendance") or 0
    if not 0 <= attendance <= 10_000_000:
        errors["expected_attendance"] = _("預估參加人數不合理。")
    if not (fields.get("training_plan") or "").strip():
        errors["training_plan"] = _("請填寫行前訓練規劃。")
    try:
        hours = Decimal(fields.get("training_hours") or 0)
    except (InvalidOperation, TypeError):
        hours = Decimal(-1)
    if not Decimal(0) <= hours <= Decimal(200):
        errors["training_hours"] = _("訓練時數應為 0 至 200 小時。")
    policy = fields.get("insurance_policy")
    if policy is not None and policy.unit_id != event.unit_id:
        errors["insurance_policy"] = _("請選擇本單位的志工意外事故保險。")
    if errors:
        raise ValidationError(errors)
    for name in ("duties", "training_plan"):
        fields[name] = fields[name].strip()[:5000]


@transaction.atomic
def create_plan(*, actor, event: Event, **fields) -> LargeEventPlan:
    event = Event.objects.select_for_update().select_related("unit__organisation").get(pk=event.pk)
    _require(
        permissions.can_manage_unit(actor, event.unit), _("只有主辦活動的運用單位承辦人可以填寫志工計畫。")
    )
    if LargeEventPlan.objects.filter(event=event).exists():
        raise ValidationError({"event": _("這個活動已有志工計畫。")})
    if event.ends_on < timezone.localdate():
        raise ValidationError({"event": _("這個活動已經結束。")})
    fields = {k: fields.get(k) for k in PLAN_FIELDS}
    _clean(fields, event)
    plan = LargeEventPlan.objects.create(event=event, created_by=actor, **fields)
    record_event(
        actor=actor,
        action="large_event_plan.created",
        target=plan,
        changes={"event": event.title, "headcount": plan.headcount, "bureau": plan.competent_bureau.name},
        organisation=event.unit.organisation,
    )
    return plan


def _lock(plan) -> LargeEventPlan:
    return (
        LargeEventPlan.objects.select_for_update(of=("self",))
        .select_related("event__unit__organisation", "competent_bureau", "insurance_policy")
        .get(pk=plan.pk)
    )


@transaction.atomic
def update_plan(*, plan: LargeEventPlan, actor, **fields) -> LargeEventPlan:
    plan = _lock(plan)
    _require(permissions.can_edit_plan(actor, plan), _("審查中或已通過的計畫無法修改。"))
    old = {f: getattr(plan, f) for f in PLAN_FIELDS}
    merged = {**old, **{k: v for k, v in fields.items() if k in PLAN_FIELDS}}
    _clean(merged, plan.event)
    for name in PLAN_FIELDS:
        setattr(plan, name, merged[name])
    plan.save()
    changes = diff(plan, old, PLAN_FIELDS)
    if changes:
        record_event(
            actor=actor,
            action="large_event_plan.edited",
            target=plan,
            changes={k: [str(a), str(b)] for k, (a, b) in changes.items()},
            organisation=plan.event.unit.organisation,
        )
    return plan


def submission_problems(plan) -> list[str]:
    """What the review checks before a plan may go: insurance for every day, training, time."""
    problems = []
    event = plan.event
    policy = plan.insurance_policy
    if policy is None:
        problems.append(_("請選擇涵蓋活動期間的志工意外事故保險。"))
    elif policy.starts_on > event.starts_on or policy.ends_on < event.ends_on:
        problems.append(_("所選保險的保險期間未涵蓋整個活動期間。"))
    if event.ends_on < timezone.localdate():
        problems.append(_("這個活動已經結束。"))
    return problems


def _reviewers(plan) -> list[tuple[str, str]]:
    roles = [Role.CASEWORKER]
    if plan.competent_bureau.kind == OrganisationKind.SOCIAL_WELFARE_BUREAU:
        roles.append(Role.SW_REVIEWER)
    return people(User.objects.filter(organisation=plan.competent_bureau, role__in=roles, is_active=True))


def _organisers(plan) -> list[tuple[str, str]]:
    return people(
        User.objects.filter(
            organisation_id=plan.event.unit.organisation_id, role=Role.UNIT_OFFICER, is_active=True
        )
    )


def _move(plan, actor, action, *, reason="", notify=None):
    old = PLAN_FLOW.advance(plan, action)
    plan.save()
    record_event(
        actor=actor,
        action=f"large_event_plan.{plan.status}",
        target=plan,
        changes={"status": [old, plan.status]},
        reason=reason,
        organisation=plan.event.unit.organisation,
    )
    if notify:
        send_notification(
            notify,
            format_lazy(gettext_lazy("{title} 志工計畫"), title=plan.event.title),
            "largeevents/email/status.txt",
            {"plan": plan},
        )
    return plan


@transaction.atomic
def submit_plan(*, plan: LargeEventPlan, actor) -> LargeEventPlan:
    plan = _lock(plan)
    _require(permissions.is_organiser(actor, plan))
    PLAN_FLOW.target(plan.status, "submit")
    problems = submission_problems(plan)
    if problems:
        raise ValidationError(problems)
    plan.submitted_at = timezone.now()
    return _move(plan, actor, "submit", notify=_reviewers(plan))


@transaction.atomic
def approve_plan(*, plan: LargeEventPlan, actor) -> LargeEventPlan:
    """The bureau's approval makes the event a city event: any registered volunteer may sign up
    for its shifts (and joins the organising unit's register on doing so)."""
    plan = _lock(plan)
    _require(permissions.is_reviewer(actor, plan), _("只有審查此活動的主管機關可以審查志工計畫。"))
    PLAN_FLOW.target(plan.status, "approve")
    problems = submission_problems(plan)
    if problems:
        raise ValidationError(problems)
    plan.reviewed_at, plan.reviewed_by, plan.return_reason = timezone.now(), actor, ""
    event = Event.objects.select_for_update().get(pk=plan.event_id)
    if not event.is_city_event:
        event.is_city_event = True
        event.save(update_fields=["is_city_event"])
    return _move(plan, actor, "approve", notify=_organisers(plan))


@transaction.atomic
def return_plan(*, plan: LargeEventPlan, actor, reason: str) -> LargeEventPlan:
    plan = _lock(plan)
    _require(permissions.is_reviewer(actor, plan), _("只有審查此活動的主管機關可以審查志工計畫。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("請填寫退回原因。")})
    PLAN_FLOW.target(plan.status, "return")
    plan.reviewed_at, plan.reviewed_by, plan.return_reason = timezone.now(), actor, reason[:2000]
    return _move(plan, actor, "return", reason=reason[:300], notify=_organisers(plan))


@transaction.atomic
def withdraw_plan(*, plan: LargeEventPlan, actor) -> LargeEventPlan:
    plan = _lock(plan)
    _require(permissions.is_organiser(actor, plan))
    return _move(plan, actor, "withdraw")


# --- Bulk enrolment -------------------------------------------------------------------------------


def enrol_from_file(*, plan: LargeEventPlan, actor, shift: Shift, upload) -> int:
    """Every row of the roster is registered with the organising unit and put on ``shift``; all
    rows or none. People already on the register are matched by the register's rule (ID number,
    birth date and name), so a file is no ID-number oracle; rows that do not agree are errors."""
    plan = LargeEventPlan.objects.select_related("event__unit__organisation").get(pk=plan.pk)
    _require(permissions.can_enrol(actor, plan), _("志工計畫審查通過後才能匯入志工。"))
    if shift.event_id != plan.event_id:
        raise ValidationError({"shift": _("請選擇本活動的班次。")})
    if shift.date < timezone.localdate():
        raise ValidationError({"shift": _("這個班次已經結束。")})
    unit = plan.event.unit
    rows = files.rows_as_dicts(files.iter_table(upload), ENROL_COLUMNS)
    if len(rows) > MAX_ENROL_ROWS:
        raise ValidationError(_("一次最多匯入 %(count)s 人。") % {"count": f"{MAX_ENROL_ROWS:,}"})
    for row in rows:
        row.setdefault("main_domain", plan.event.domain)
    # Checked outside the enrolment's transaction: a refused row's audit record stays.
    clean, errors = validate_volunteer_rows(unit, rows, actor=actor)
    if errors:
        raise ValidationError(
            [
                _("第 %(row)s 列「%(column)s」：%(message)s")
                % {
                    "row": e["row"],
                    "column": files.header_of("volunteers", e["key"]),
                    "message": e["message"],
                }
                for e in errors[:50]
            ]
        )
    return _enrol_rows(plan=plan, actor=actor, shift=shift, rows=clean)


@transaction.atomic
def _enrol_rows(*, plan, actor, shift, rows) -> int:
    shift = Shift.objects.select_for_update().get(pk=shift.pk)
    taken = shift.signups.filter(status=SignupStatus.SIGNED_UP).count()
    if taken + len(rows) > shift.capacity:
        raise ValidationError(
            _("班次名額 %(capacity)s 人，已報名 %(taken)s 人，無法再匯入 %(count)s 人。")
            % {"capacity": shift.capacity, "taken": taken, "count": len(rows)}
        )
    unit = plan.event.unit
    person = (
        "name",
        "identity_kind",
        "identity_number",
        "birth_date",
        "sex",
        "main_domain",
        "phone",
        "email",
        "address",
    )
    count = 0
    for row in rows:
        volunteer = registry.register_volunteer(
            unit=unit, actor=actor, channel="import", joined_on=shift.date, **{k: row[k] for k in person}
        )
        if shift.signups.filter(volunteer=volunteer, status=SignupStatus.SIGNED_UP).exists():
            continue
        event_services.sign_up(shift=shift, volunteer=volunteer, actor=actor)
        count += 1
    record_event(
        actor=actor,
        action="large_event_plan.volunteers_enrolled",
        target=plan,
        changes={"shift": str(shift), "count": count},
        organisation=unit.organisation,
    )
    return count


def template_csv() -> bytes:
    import io

    from core.tabular import csv_writer

    buffer = io.StringIO()
    csv_writer(buffer).writerows([[c.header for c in ENROL_COLUMNS], [c.example for c in ENROL_COLUMNS]])
    return buffer.getvalue().encode("utf-8-sig")
