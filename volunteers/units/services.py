"""Writes for units and their service plans (備案): one function per transition, each atomic,
row-locked where two people can race, audited, and e-mailing the people concerned."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, User
from accounts.roles import OrganisationKind, Role
from audit.services import diff, record_event
from core.notify import people, send_notification
from core.pagecache import invalidate
from dashboard.gazetteer import place_if_unplaced

from .. import permissions
from ..models import PlanStatus, ServiceDomain, ServicePlan, VolunteerUnit
from ..workflows import PLAN_FLOW, plan_stage


def _emails(users) -> list[tuple[str, str]]:
    return people(users.filter(is_active=True))


def _officers(unit) -> list[str]:
    return _emails(User.objects.filter(organisation_id=unit.organisation_id, role=Role.UNIT_OFFICER))


def _centre_staff() -> list[str]:
    return _emails(User.objects.filter(role=Role.CENTRE_STAFF))


def _second_reviewers(unit) -> list[str]:
    bureau = unit.organisation.competent_bureau
    if bureau is None:
        return []
    roles = [Role.CASEWORKER]
    if bureau.kind == OrganisationKind.SOCIAL_WELFARE_BUREAU:
        roles.append(Role.SW_REVIEWER)
    return _emails(User.objects.filter(organisation=bureau, role__in=roles))


UNIT_FIELDS = ("main_domain", "description", "contact_person", "latitude", "longitude")


ORGANISATION_FIELDS = ("address", "phone", "email")


@transaction.atomic
def register_unit(
    *,
    actor,
    name: str,
    competent_bureau: Organisation,
    main_domain: str,
    address: str = "",
    phone: str = "",
    email: str = "",
    contact_person: str = "",
    description: str = "",
    latitude=None,
    longitude=None,
) -> VolunteerUnit:
    """A signed-in person registers a volunteer unit (線上申請) and becomes its officer."""
    actor = User.objects.select_for_update().get(pk=actor.pk)
    permissions.require_permission(
        permissions.can_register_unit(actor),
        _("只有一般會員帳號可以申請成立運用單位；已是機關或單位人員者請由所屬單位辦理。"),
    )
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("請填寫運用單位名稱。")
    elif Organisation.objects.filter(name=name).exists():
        errors["name"] = _("已有同名的機關單位，請確認是否已經註冊，或使用完整名稱。")
    if competent_bureau is None or not competent_bureau.is_bureau:
        errors["competent_bureau"] = _("請選擇目的事業主管機關（局處）。")
    if main_domain not in ServiceDomain.values:
        errors["main_domain"] = _("請選擇主要服務領域。")
    if errors:
        raise ValidationError(errors)
    company = _leave_company(actor)
    organisation = Organisation.objects.create(
        name=name,
        kind=OrganisationKind.VOLUNTEER_UNIT,
        competent_bureau=competent_bureau,
        address=address,
        phone=phone,
        email=email or actor.email,
    )
    unit = VolunteerUnit(
        organisation=organisation,
        main_domain=main_domain,
        contact_person=contact_person or actor.get_full_name(),
        description=description,
        company=company,
        latitude=latitude,
        longitude=longitude,
    )
    place_if_unplaced(unit, address)
    unit.save()
    old_role = actor.role
    actor.role = Role.UNIT_OFFICER
    actor.organisation = organisation
    actor.save(update_fields=["role", "organisation"])
    record_event(
        actor=actor,
        action="volunteer_unit.registered",
        target=unit,
        changes={"company": company.name} if company else None,
        organisation=organisation,
    )
    record_event(
        actor=actor,
        action="user.role_changed",
        target=actor,
        changes={
            "role": [old_role, actor.role],
            "organisation": [company.name if company else None, organisation.name],
        },
        organisation=organisation,
    )
    return unit


def _leave_company(actor):
    """A company's coordinator registering a unit: the unit is the company's (``company``), and
    the coordinator, who becomes the unit's officer, hands the company over to its other
    coordinators first (refused when they are the last: corporate.coordinators)."""
    company = actor.organisation if actor.organisation_id else None
    if company is None or company.kind != OrganisationKind.COMPANY:
        return None
    team = getattr(company, "corporate_team", None)
    if team is not None:
        from corporate.coordinators import release_coordinator

        try:
            release_coordinator(team=team, user=actor, actor=actor)
        except ValidationError as exc:
            raise ValidationError(
                exc.messages[0] + _("（登錄運用單位後，您將改為該單位的承辦人。）")
            ) from None
    return company


@transaction.atomic
def update_unit(*, unit: VolunteerUnit, actor, **fields) -> VolunteerUnit:
    unit = VolunteerUnit.objects.select_for_update().select_related("organisation").get(pk=unit.pk)
    permissions.require_permission(
        permissions.can_manage_unit(actor, unit), _("只有本單位承辦人可以修改單位資料。")
    )
    organisation = unit.organisation
    old_unit = {f: getattr(unit, f) for f in UNIT_FIELDS}
    old_org = {f: getattr(organisation, f) for f in ORGANISATION_FIELDS}
    for name, value in fields.items():
        if name in UNIT_FIELDS:
            setattr(unit, name, value)
        elif name in ORGANISATION_FIELDS:
            setattr(organisation, name, value)
        else:
            raise ValueError(f"{name} cannot be edited")
    if unit.main_domain not in ServiceDomain.values:
        raise ValidationError({"main_domain": _("請選擇主要服務領域。")})
    place_if_unplaced(unit, organisation.address)  # nothing picked on the map: its district
    organisation.save()
    unit.save()
    changes = {**diff(unit, old_unit, UNIT_FIELDS), **diff(organisation, old_org, ORGANISATION_FIELDS)}
    if changes:
        record_event(actor=actor, action="volunteer_unit.edited", target=unit, changes=changes)
        invalidate("volunteers")  # the welfare map and the public pages show units
    return unit


PLAN_FIELDS = (
    "year",
    "title",
    "service_items",
    "domain",
    "expected_volunteers",
    "recruitment",
    "training_plan",
    "insurance_plan",
    "budget",
)


def _lock_plan(plan: ServicePlan) -> ServicePlan:
    return (
        ServicePlan.objects.select_for_update(of=("self",))
        .select_related("unit__organisation__competent_bureau")
        .get(pk=plan.pk)
    )


@transaction.atomic
def create_plan(*, unit: VolunteerUnit, actor, **fields) -> ServicePlan:
    permissions.require_permission(
        permissions.can_manage_unit(actor, unit), _("只有本單位承辦人可以填寫服務計畫。")
    )
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"unknown plan fields: {sorted(unknown)}")
    year = fields.get("year")
    if ServicePlan.objects.filter(unit=unit, year=year).exists():
        raise ValidationError(
            {"year": _("本單位 %(year)s 年度的服務計畫已經建立，請直接修改該計畫。") % {"year": year - 1911}}
        )
    plan = ServicePlan(unit=unit, created_by=actor, status=PlanStatus.DRAFT, **fields)
    plan.full_clean(exclude=["unit", "created_by"])
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise ValidationError({"year": _("本單位該年度的服務計畫已經建立。")}) from None
    record_event(actor=actor, action="service_plan.created", target=plan, organisation=unit.organisation)
    return plan


@transaction.atomic
def update_plan(*, plan: ServicePlan, actor, **fields) -> ServicePlan:
    plan = _lock_plan(plan)
    permissions.require_permission(
        permissions.can_edit_plan(actor, plan), _("只有本單位承辦人可以在草稿或退回狀態修改計畫。")
    )
    old = {f: getattr(plan, f) for f in PLAN_FIELDS}
    for name, value in fields.items():
        if name not in PLAN_FIELDS:
            raise ValueError(f"{name} cannot be edited")
        setattr(plan, name, value)
    plan.full_clean(exclude=["unit", "created_by"])
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise ValidationError({"year": _("本單位該年度的服務計畫已經建立。")}) from None
    changes = diff(plan, old, PLAN_FIELDS)
    if changes:
        record_event(
            actor=actor,
            action="service_plan.edited",
            target=plan,
            changes=changes,
            organisation=plan.unit.organisation,
        )
    return plan


def _transition(plan, actor, event, move, *, reason=""):
    """Make ``move`` of PLAN_FLOW (refused when the table does not allow it), audited as ``event``."""
    previous = PLAN_FLOW.advance(plan, move)
    record_event(
        actor=actor,
        action=event,
        target=plan,
        changes={"status": [previous, plan.status]},
        reason=reason,
        organisation=plan.unit.organisation,
    )


@transaction.atomic
def submit_plan(*, plan: ServicePlan, actor) -> ServicePlan:
    """The unit files its plan (送出備案): the volunteer centre reviews it first."""
    plan = _lock_plan(plan)
    permissions.require_permission(
        permissions.can_submit_plan(actor, plan), _("只有本單位承辦人可以送出草稿或退回補正的計畫。")
    )
    if not plan.service_items.strip() or not plan.expected_volunteers:
        raise ValidationError(_("送出前請填寫服務項目與預計運用志工人數。"))
    if plan.unit.organisation.competent_bureau_id is None:
        raise ValidationError(_("請先在單位資料中指定目的事業主管機關，才能送出備案。"))
    _transition(plan, actor, "service_plan.submitted", "submit")
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["status", "submitted_at", "updated_at"])
    send_notification(
        _centre_staff(),
        format_lazy(gettext_lazy("志願服務計畫待初審：{unit}"), unit=plan.unit.name),
        "volunteers/email/plan_submitted.txt",
        {"plan": plan},
    )
    return plan


@transaction.atomic
def approve_plan_first_review(*, plan: ServicePlan, actor) -> ServicePlan:
    """The volunteer centre passes the first review (初審): the competent bureau reviews second."""
    plan = _lock_plan(plan)
    permissions.require_permission(
        permissions.can_first_review(actor, plan), _("只有志願服務推廣中心人員可以初審已送出的計畫。")
    )
    _transition(plan, actor, "service_plan.first_review_approved", "approve_first")
    plan.centre_reviewed_at = timezone.now()
    plan.centre_reviewed_by = actor
    plan.return_reason = ""
    plan.save(
        update_fields=["status", "centre_reviewed_at", "centre_reviewed_by", "return_reason", "updated_at"]
    )
    send_notification(
        _second_reviewers(plan.unit),
        format_lazy(gettext_lazy("志願服務計畫待複審：{unit}"), unit=plan.unit.name),
        "volunteers/email/plan_first_approved.txt",
        {"plan": plan},
    )
    return plan


def _registration_number(plan: ServicePlan) -> str:
    return f"北市志備字第{plan.year - 1911:03d}{plan.pk:06d}號"


@transaction.atomic
def approve_plan_second_review(*, plan: ServicePlan, actor) -> ServicePlan:
    """The competent bureau approves (複審核備): from now on the unit may record hours."""
    plan = _lock_plan(plan)
    permissions.require_permission(
        permissions.can_second_review(actor, plan),
        _("只有該單位目的事業主管機關的承辦人可以複審已通過初審的計畫。"),
    )
    _transition(plan, actor, "service_plan.approved", "approve_second")
    plan.bureau_reviewed_at = timezone.now()
    plan.bureau_reviewed_by = actor
    plan.return_reason = ""
    plan.save(
        update_fields=["status", "bureau_reviewed_at", "bureau_reviewed_by", "return_reason", "updated_at"]
    )
    unit = VolunteerUnit.objects.select_for_update().get(pk=plan.unit_id)
    if not unit.registration_number:
        unit.registration_number = _registration_number(plan)
        unit.save(update_fields=["registration_number"])
    invalidate("volunteers")  # an approved unit appears on the welfare map
    send_notification(
        _officers(plan.unit),
        format_lazy(
            gettext_lazy("志願服務計畫已核備：{unit}（{year} 年度）"),
            unit=plan.unit.name,
            year=plan.year - 1911,
        ),
        "volunteers/email/plan_approved.txt",
        {"plan": plan},
    )
    return plan


@transaction.atomic
def return_plan(*, plan: ServicePlan, actor, reason: str) -> ServicePlan:
    """Either reviewer returns the plan for correction (退回補正) with a reason."""
    plan = _lock_plan(plan)
    permissions.require_permission(
        permissions.can_return_plan(actor, plan), _("只有目前負責審查此計畫的人員可以退回。")
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("請填寫退回原因，讓單位知道要補正什麼。")})
    stage = plan_stage(plan)
    _transition(plan, actor, f"service_plan.returned_{stage}", "return", reason=reason)
    plan.return_reason = reason
    if stage == "first":
        plan.centre_reviewed_at, plan.centre_reviewed_by = timezone.now(), actor
    else:
        plan.bureau_reviewed_at, plan.bureau_reviewed_by = timezone.now(), actor
    plan.save()
    send_notification(
        _officers(plan.unit),
        format_lazy(
            gettext_lazy("志願服務計畫退回補正：{unit}（{year} 年度）"),
            unit=plan.unit.name,
            year=plan.year - 1911,
        ),
        "volunteers/email/plan_returned.txt",
        {"plan": plan, "reason": reason},
    )
    return plan


def review_plan(*, plan: ServicePlan, actor, decision: str, reason: str = "") -> str:
    """The reviewer whose turn it is approves (the review the plan waits for: the centre's first,
    the bureau's second) or returns it. Returns the move made: "return", "approve_first" or
    "approve_second"."""
    if decision == "return":
        return_plan(plan=plan, actor=actor, reason=reason)
        return "return"
    if plan_stage(plan) == "first":
        approve_plan_first_review(plan=plan, actor=actor)
        return "approve_first"
    approve_plan_second_review(plan=plan, actor=actor)
    return "approve_second"
