"""Writes for corporate volunteering: one function per change, atomic, row-locked where two people
can race, audited (ID numbers only masked in the trail)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, User
from accounts.roles import OrganisationKind, Role
from audit.services import diff, record_event
from core import notify
from core.crypto import lookup_hash, lookup_hashes
from core.notify import send_notification
from core.validators import mask_identity_number, validate_company_tax_id, validate_identity_number
from programs.models import OfferKind, OfferStatus
from volunteers.events import services as event_services
from volunteers.models import ServiceDomain, Sex, Shift, SignupStatus
from volunteers.registry import services as registry

from . import permissions
from .coordinators import coordinators_of, move_to_organisation
from .models import Availability, CorporateTeam, TeamEnrolment, TeamMatch, TeamMember
from .workflows import MATCH_FLOW

MAX_HEADCOUNT = 100_000
TEAM_FIELDS = (
    "name",
    "coordinator_phone",
    "headcount",
    "interests",
    "availability",
    "availability_note",
    "description",
    "is_active",
)


def _require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("您沒有權限執行此操作。"))


def _clean_team(fields: dict, errors: dict) -> None:
    name = (fields.get("name") or "").strip()
    if not name:
        errors["name"] = _("請填寫志工隊名稱。")
    elif len(name) > 120:
        errors["name"] = _("志工隊名稱最多 120 個字。")
    fields["name"] = name
    phone = (fields.get("coordinator_phone") or "").strip()
    if not phone:
        errors["coordinator_phone"] = _("請填寫聯絡電話。")
    fields["coordinator_phone"] = phone[:40]
    headcount = fields.get("headcount")
    if headcount is None or not 1 <= headcount <= MAX_HEADCOUNT:
        errors["headcount"] = _("可參與人數應為 1 至 100,000 人。")
    interests = list(dict.fromkeys(fields.get("interests") or []))
    if not interests or set(interests) - set(ServiceDomain.values):
        errors["interests"] = _("請至少選擇一個有興趣的服務領域。")
    fields["interests"] = interests
    availability = list(dict.fromkeys(fields.get("availability") or []))
    if not availability or set(availability) - set(Availability.values):
        errors["availability"] = _("請至少選擇一個可服務時段。")
    fields["availability"] = availability
    fields["availability_note"] = (fields.get("availability_note") or "").strip()[:200]
    fields["description"] = (fields.get("description") or "").strip()[:5000]


@transaction.atomic
def register_team(
    *, actor, company_name: str, tax_id: str, company_address: str = "", **fields
) -> CorporateTeam:
    """A personal account registers its company's volunteer team and becomes its coordinator."""
    actor = User.objects.select_for_update().get(pk=actor.pk)
    _require(
        permissions.can_register_team(actor),
        _("只有尚未隸屬任何機關單位的個人帳號可以登錄企業志工隊。"),
    )
    errors = {}
    company_name = (company_name or "").strip()
    if not company_name:
        errors["company_name"] = _("請填寫企業名稱。")
    elif len(company_name) > 200:
        errors["company_name"] = _("企業名稱最多 200 個字。")
    elif Organisation.objects.filter(name=company_name).exists():
        errors["company_name"] = _("已有同名的機關單位或企業；若貴公司已登錄，請洽貴公司的聯絡窗口。")
    try:  # full-width digits typed on a phone are the same number (core.validators' one rule)
        tax_id = validate_company_tax_id(tax_id)
    except ValidationError as exc:
        errors["tax_id"] = exc.messages
    else:
        if CorporateTeam.objects.filter(tax_id=tax_id).exists():
            errors["tax_id"] = _("此統一編號已登錄企業志工隊；請洽貴公司的聯絡窗口或志願服務推廣中心。")
    _clean_team(fields, errors)
    if errors:
        raise ValidationError(errors)
    organisation = Organisation.objects.create(
        name=company_name,
        kind=OrganisationKind.COMPANY,
        address=(company_address or "").strip()[:255],
        phone=fields["coordinator_phone"],
        email=actor.email,
    )
    try:
        with transaction.atomic():
            team = CorporateTeam.objects.create(
                organisation=organisation, tax_id=tax_id, coordinator=actor, **fields
            )
    except IntegrityError:  # the same number registered at the same moment
        raise ValidationError({"tax_id": _("此統一編號已登錄企業志工隊。")}) from None
    record_event(
        actor=actor,
        action="corporate.team_registered",
        target=team,
        changes={"company": company_name, "tax_id": tax_id, "headcount": team.headcount},
        organisation=organisation,
    )
    move_to_organisation(actor, organisation, actor=actor, company=organisation)
    return team


@transaction.atomic
def update_team(*, team: CorporateTeam, actor, **fields) -> CorporateTeam:
    team = CorporateTeam.objects.select_for_update().get(pk=team.pk)
    _require(permissions.can_manage_team(actor, team))
    unknown = set(fields) - set(TEAM_FIELDS)
    if unknown:
        raise ValueError(f"cannot edit {sorted(unknown)}")
    old = {f: getattr(team, f) for f in TEAM_FIELDS}
    merged = {**old, **fields}
    errors = {}
    _clean_team(merged, errors)
    if errors:
        raise ValidationError(errors)
    for name in fields:
        setattr(team, name, merged[name])
    team.save()
    changes = diff(team, old, TEAM_FIELDS)
    if changes:
        record_event(
            actor=actor,
            action="corporate.team_edited",
            target=team,
            changes=changes,
            organisation=team.organisation,
        )
    return team


@transaction.atomic
def add_member(
    *,
    team: CorporateTeam,
    actor,
    name: str,
    identity_kind: str,
    identity_number: str,
    birth_date,
    sex: str,
    consent: bool,
    phone: str = "",
    email: str = "",
) -> TeamMember:
    """The coordinator lists an employee who agreed to give these details for volunteer records
    and insurance (個人資料: stated purpose, the consent is the condition)."""
    team = CorporateTeam.objects.select_for_update().get(pk=team.pk)
    _require(permissions.can_manage_team(actor, team))
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("請填寫姓名。")
    elif len(name) > 100:
        errors["name"] = _("姓名最多 100 個字。")
    number = ""
    try:
        number = validate_identity_number(identity_kind, identity_number)
    except ValidationError as exc:
        errors["identity_kind" if exc.code == "kind" else "identity_number"] = exc.messages
    today = timezone.localdate()
    if birth_date is None:
        errors["birth_date"] = _("請填寫出生日期。")
    elif birth_date > today or birth_date.year < 1900:
        errors["birth_date"] = _("出生日期不合理，請再確認一次。")
    if sex not in Sex.values:
        errors["sex"] = _("請選擇性別。")
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("電子郵件格式不正確。")
    if not consent:
        errors["consent"] = _("請確認隊員已同意提供資料，僅供志工登錄、排班與保險使用。")
    if number and team.members.filter(identity_hash__in=lookup_hashes(number)).exists():
        errors["identity_number"] = _("此證件號碼已在隊員名單中。")
    if errors:
        raise ValidationError(errors)
    member = TeamMember.objects.create(
        team=team,
        name=name,
        identity_kind=identity_kind,
        identity_number=number,
        identity_hash=lookup_hash(number),
        birth_date=birth_date,
        sex=sex,
        phone=(phone or "").strip()[:40],
        email=email,
        added_by=actor,
    )
    record_event(
        actor=actor,
        action="corporate.member_added",
        target=member,
        changes={"team": team.name, "identity": mask_identity_number(number)},
        organisation=team.organisation,
    )
    return member


@transaction.atomic
def remove_member(*, member: TeamMember, actor) -> None:
    """Off the roster: the company's copy of their details is deleted; what they served stays on
    their own volunteer record."""
    team = CorporateTeam.objects.select_for_update().get(pk=member.team_id)
    _require(permissions.can_manage_team(actor, team))
    record_event(
        actor=actor,
        action="corporate.member_removed",
        target=team,
        changes={"member": member.name, "identity": member.masked_identity},
        organisation=team.organisation,
    )
    member.delete()


# --- Matching ---------------------------------------------------------------------------------


def _check_offer(offer, team, errors):
    if offer is None:
        return
    if offer.kind != OfferKind.SERVICE:
        errors["offer"] = _("只能連結服務類的捐贈意向。")
    elif offer.status not in (OfferStatus.ACCEPTED, OfferStatus.PARTLY_ACCEPTED, OfferStatus.DELIVERED):
        errors["offer"] = _("這項服務捐贈意向尚未被局處接受。")
    elif offer.donor.organisation_id != team.organisation_id:
        errors["offer"] = _("這項服務捐贈意向不是此企業提出的。")


@transaction.atomic
def propose_match(
    *, actor, team: CorporateTeam, shift: Shift, people: int, note: str = "", offer=None
) -> TeamMatch:
    """The centre or the shift's unit proposes a team for a shift; the company answers."""
    shift = Shift.objects.select_for_update().select_related("event__unit__organisation").get(pk=shift.pk)
    _require(permissions.can_propose_match(actor, shift), _("只有志推中心或該班次的運用單位可以提出媒合。"))
    errors = {}
    if not team.is_active:
        errors["team"] = _("此企業志工隊目前暫停媒合。")
    if shift.date < timezone.localdate():
        errors["shift"] = _("這個班次已經結束。")
    if people is None or not 1 <= people <= shift.capacity:
        errors["people"] = _("預計人數應為 1 至該班次名額（%(capacity)s 人）。") % {
            "capacity": shift.capacity
        }
    elif people > team.headcount:
        errors["people"] = _("預計人數超過企業可參與人數（%(count)s 人）。") % {"count": team.headcount}
    if (
        TeamMatch.objects.filter(team=team, shift=shift)
        .exclude(status__in=["declined", "cancelled"])
        .exists()
    ):
        errors["shift"] = _("此企業志工隊已有這個班次的媒合。")
    _check_offer(offer, team, errors)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            match = TeamMatch.objects.create(
                team=team,
                shift=shift,
                people=people,
                note=(note or "").strip()[:300],
                offer=offer,
                proposed_by=actor,
            )
    except IntegrityError:  # proposed at the same moment by someone else (one_open_match_per_team_shift)
        raise ValidationError({"shift": _("此企業志工隊已有這個班次的媒合。")}) from None
    record_event(
        actor=actor,
        action="corporate.match_proposed",
        target=match,
        changes={
            "team": team.name,
            "shift": str(shift),
            "people": people,
            "offer": offer.pk if offer else None,
        },
        organisation=shift.event.unit.organisation,
    )
    send_notification(
        notify.people(coordinators_of(team)),  # every coordinator of the company, each in their language
        gettext_lazy("企業志工媒合邀請"),
        "corporate/email/match_proposed.txt",
        {"match": match},
    )
    return match


def _lock_match(match) -> TeamMatch:
    return (
        TeamMatch.objects.select_for_update()
        .select_related("team__organisation", "shift__event__unit__organisation", "proposed_by")
        .get(pk=match.pk)
    )


def _answer(match, actor, action, reason=""):
    match = _lock_match(match)
    _require(permissions.is_company_coordinator(actor, match.team), _("只有企業的聯絡窗口可以回覆媒合。"))
    old = MATCH_FLOW.advance(match, action)
    match.decided_by, match.decided_at, match.decline_reason = actor, timezone.now(), reason
    match.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
    record_event(
        actor=actor,
        action=f"corporate.match_{match.status}",
        target=match,
        changes={"status": [old, match.status]},
        reason=reason,
        organisation=match.team.organisation,
    )
    officers = notify.people(
        User.objects.filter(
            organisation_id=match.shift.event.unit.organisation_id, role=Role.UNIT_OFFICER, is_active=True
        )
    )
    send_notification(
        [match.proposed_by, *officers],
        gettext_lazy("企業志工媒合回覆"),
        "corporate/email/match_answered.txt",
        {"match": match},
    )
    return match


@transaction.atomic
def accept_match(*, match: TeamMatch, actor) -> TeamMatch:
    return _answer(match, actor, "accept")


@transaction.atomic
def decline_match(*, match: TeamMatch, actor, reason: str) -> TeamMatch:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("請填寫婉拒原因。")})
    return _answer(match, actor, "decline", reason[:300])


@transaction.atomic
def cancel_match(*, match: TeamMatch, actor, reason: str) -> TeamMatch:
    match = _lock_match(match)
    _require(permissions.is_match_host(actor, match))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("請填寫取消原因。")})
    old = MATCH_FLOW.advance(match, "cancel")
    match.save(update_fields=["status"])
    record_event(
        actor=actor,
        action="corporate.match_cancelled",
        target=match,
        changes={"status": [old, match.status]},
        reason=reason[:300],
        organisation=match.shift.event.unit.organisation,
    )
    return match


@transaction.atomic
def enrol_members(
    *, match: TeamMatch, actor, members
) -> tuple[list[TeamMember], list[tuple[TeamMember, str]]]:
    """The unit registers the chosen members as its volunteers and puts them on the shift.

    A member already on the register is matched by the register's own rule (ID number, birth date
    and name: volunteers.registry.identity), never by the ID number alone; a member who does not
    agree is refused with the register's neutral message and stays off the shift, the others go
    on. Returns (enrolled, [(member, reason)])."""
    match = _lock_match(match)
    unit = match.shift.event.unit
    _require(permissions.can_manage_unit(actor, unit), _("只有該班次的運用單位承辦人可以排班。"))
    MATCH_FLOW.target(match.status, "enrol")
    members = [m for m in members if m.team_id == match.team_id]
    if not members:
        raise ValidationError({"members": _("請至少選擇一位隊員。")})
    already = set(match.enrolments.values_list("member_id", flat=True))
    places = match.shift.capacity - match.shift.signups.filter(status=SignupStatus.SIGNED_UP).count()
    if len([m for m in members if m.pk not in already]) > places:
        raise ValidationError(
            {"members": _("班次剩餘名額 %(count)s 人，請減少排班人數。") % {"count": max(places, 0)}}
        )
    enrolled, refused = [], []
    for member in members:
        if member.pk in already:
            refused.append((member, _("已排入此班次。")))
            continue
        try:
            # Not inside a savepoint of ours: a refused match's audit record must stay.
            volunteer = registry.register_volunteer(
                unit=unit,
                actor=actor,
                channel="corporate",
                name=member.name,
                identity_kind=member.identity_kind,
                identity_number=member.identity_number,
                birth_date=member.birth_date,
                sex=member.sex,
                main_domain=match.shift.event.domain,
                phone=member.phone,
                email=member.email,
            )
            with transaction.atomic():
                signup = event_services.sign_up(shift=match.shift, volunteer=volunteer, actor=actor)
                TeamEnrolment.objects.create(match=match, member=member, signup=signup, enrolled_by=actor)
                member.volunteer = volunteer
                member.save(update_fields=["volunteer"])
        except ValidationError as exc:
            refused.append((member, " ".join(exc.messages)))
            continue
        enrolled.append(member)
    if enrolled:
        old = MATCH_FLOW.advance(match, "enrol")
        match.save(update_fields=["status"])
        record_event(
            actor=actor,
            action="corporate.members_enrolled",
            target=match,
            changes={"status": [old, match.status], "enrolled": len(enrolled), "refused": len(refused)},
            organisation=unit.organisation,
        )
    return enrolled, refused


def team_signups(team):
    """The shift sign-ups of the team's enrolments that are still on (not cancelled)."""
    from volunteers.models import ShiftSignup

    return ShiftSignup.objects.filter(corporate_enrolment__match__team=team, status=SignupStatus.SIGNED_UP)
