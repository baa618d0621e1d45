"""Writes for volunteers, training, insurance and awards: one function per change, each atomic,
row-locked where two people can race, and audited.

Imports and the units' API call ``register_volunteer`` / ``update_volunteer`` below.
"""

import datetime

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from audit.services import diff, record_event
from core import ratelimit
from core.crypto import lookup_hash, lookup_hashes
from core.uploads import clean_image_upload
from core.validators import IdentityKind, validate_identity_number

from .. import permissions
from ..models import (
    Award,
    InsurancePolicy,
    Membership,
    ServiceDomain,
    Sex,
    Training,
    TrainingKind,
    Volunteer,
    VolunteerUnit,
)
from . import identity

# --- Volunteers -------------------------------------------------------------------------------

VOLUNTEER_FIELDS = (
    "name",
    "birth_date",
    "sex",
    "phone",
    "email",
    "address",
    "record_book_number",
    "record_book_issued_on",
    "service_started_on",
)


def _clean_identity(identity_kind, identity_number) -> str:
    try:
        return validate_identity_number(identity_kind, identity_number)
    except ValidationError as exc:
        field = "identity_kind" if getattr(exc, "code", None) == "kind" else "identity_number"
        raise ValidationError({field: exc.messages}) from None


def _clean_person(fields: dict) -> None:
    errors = {}
    name = (fields.get("name") or "").strip()
    if not name:
        errors["name"] = _("請填寫姓名。")
    elif len(name) > 100:
        errors["name"] = _("姓名最多 100 個字。")
    fields["name"] = name
    birth = fields.get("birth_date")
    today = timezone.localdate()
    if birth is None:
        errors["birth_date"] = _("請填寫出生日期。")
    elif birth > today or birth < datetime.date(1900, 1, 1):
        errors["birth_date"] = _("出生日期不合理，請再確認一次。")
    if "sex" in fields and fields["sex"] not in Sex.values:
        errors["sex"] = _("請選擇性別。")
    issued = fields.get("record_book_issued_on")
    if issued and issued > today:
        errors["record_book_issued_on"] = _("紀錄冊發給日期不可晚於今天。")
    if issued and not fields.get("record_book_number"):
        errors["record_book_number"] = _("填寫紀錄冊發給日期時，請一併填寫紀錄冊編號。")
    started = fields.get("service_started_on")
    if started and started > today:
        errors["service_started_on"] = _("服務開始日期不可晚於今天。")
    if errors:
        raise ValidationError(errors)


def _photo(photo):
    if not photo:
        return None
    try:
        return clean_image_upload(photo, max_bytes=5 * 1024 * 1024)
    except ValidationError as exc:
        raise ValidationError({"photo": exc.messages}) from None


def register_volunteer(*, unit: VolunteerUnit, actor, channel: str = "page", **fields) -> Volunteer:
    """Add a person to a unit. Someone already on the register (from another unit) is matched only
    when the birth date and name agree too (``identity.agrees``), and then only gains a membership
    here, never a second record; otherwise a neutral refusal, audited and rate-limited per officer
    (``identity``). ``channel`` names the way in for the audit trail: page, api."""
    permissions.require_permission(
        permissions.can_manage_unit(actor, unit), _("只有本單位承辦人可以登錄志工。")
    )
    identity.ensure_not_blocked(actor)
    try:
        return _register_volunteer(unit=unit, actor=actor, **fields)
    except identity.IdentityMismatch as mismatch:
        raise identity.refuse(actor=actor, unit=unit, volunteer=mismatch.volunteer, channel=channel) from None


@transaction.atomic
def _register_volunteer(
    *,
    unit: VolunteerUnit,
    actor,
    name: str,
    identity_kind: str,
    identity_number: str,
    birth_date,
    sex: str,
    main_domain: str,
    joined_on=None,
    phone: str = "",
    email: str = "",
    address: str = "",
    record_book_number: str = "",
    record_book_issued_on=None,
    service_started_on=None,
    photo=None,
) -> Volunteer:
    number = _clean_identity(identity_kind, identity_number)
    if main_domain not in ServiceDomain.values:
        raise ValidationError({"main_domain": _("請選擇服務領域。")})
    joined_on = joined_on or timezone.localdate()
    person = {
        "name": name,
        "birth_date": birth_date,
        "sex": sex,
        "phone": (phone or "").strip(),
        "email": (email or "").strip(),
        "address": (address or "").strip(),
        "record_book_number": (record_book_number or "").strip(),
        "record_book_issued_on": record_book_issued_on,
        "service_started_on": service_started_on,
    }
    _clean_person(person)
    picture = _photo(photo)
    digest = lookup_hash(number)
    # Every hash key: while the hash key is rotated, a known person may still carry the older hash.
    known = lookup_hashes(number)
    volunteer = Volunteer.objects.select_for_update().filter(identity_hash__in=known).first()
    if volunteer is None:
        volunteer = Volunteer(
            identity_kind=identity_kind, identity_number=number, identity_hash=digest, **person
        )
        if picture is not None:
            volunteer.photo.save(picture.name, picture, save=False)
        try:
            with transaction.atomic():
                volunteer.save()
        except IntegrityError:  # registered at the same moment by another unit
            volunteer = Volunteer.objects.select_for_update().get(identity_hash__in=known)
            if not identity.agrees(volunteer, birth_date=person["birth_date"], name=person["name"]):
                raise identity.IdentityMismatch(volunteer) from None
        else:
            record_event(
                actor=actor,
                action="volunteer.registered",
                target=volunteer,
                changes={"identity": volunteer.masked_identity},
                organisation=unit.organisation,
            )
    else:
        if not identity.agrees(volunteer, birth_date=person["birth_date"], name=person["name"]):
            raise identity.IdentityMismatch(volunteer)
        # A known person: keep their record (the other unit's data), fill only what is missing.
        filled = {}
        for field in (
            "phone",
            "email",
            "address",
            "record_book_number",
            "record_book_issued_on",
            "service_started_on",
        ):
            if person[field] and not getattr(volunteer, field):
                filled[field] = [None, str(person[field])]
                setattr(volunteer, field, person[field])
        if filled:
            volunteer.save()
            record_event(
                actor=actor,
                action="volunteer.completed",
                target=volunteer,
                changes=filled,
                organisation=unit.organisation,
            )
    membership, created = Membership.objects.get_or_create(
        unit=unit, volunteer=volunteer, defaults={"joined_on": joined_on, "main_domain": main_domain}
    )
    if not created and membership.left_on is not None:
        membership.left_on = None
        membership.joined_on = joined_on
        membership.main_domain = main_domain
        membership.save()
        created = True
    if created:
        record_event(
            actor=actor,
            action="volunteer.joined_unit",
            target=volunteer,
            changes={"unit": unit.name, "joined_on": str(joined_on)},
            organisation=unit.organisation,
        )
    volunteer.joined_unit = created  # False: they already served here (the page says so)
    return volunteer


@transaction.atomic
def update_volunteer(*, volunteer: Volunteer, actor, unit: VolunteerUnit, **fields) -> Volunteer:
    """An officer of a unit the volunteer serves in corrects the person's data. ``identity_kind`` and
    ``identity_number`` may be corrected too (re-validated, still unique); ``photo`` is an upload."""
    permissions.require_permission(
        permissions.can_manage_unit(actor, unit), _("只有本單位承辦人可以修改志工資料。")
    )
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if not volunteer.memberships.filter(unit=unit).exists():
        raise PermissionDenied(_("此志工不在本單位服務。"))
    allowed = {*VOLUNTEER_FIELDS, "identity_kind", "identity_number", "photo"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"cannot edit {sorted(unknown)}")
    old = {f: getattr(volunteer, f) for f in VOLUNTEER_FIELDS}
    changes = {}
    if "identity_number" in fields or "identity_kind" in fields:
        kind = fields.pop("identity_kind", volunteer.identity_kind)
        raw = fields.pop("identity_number", volunteer.identity_number)
        number = _clean_identity(kind, raw)
        digest, known = lookup_hash(number), lookup_hashes(number)
        if volunteer.identity_hash not in known:
            if Volunteer.objects.filter(identity_hash__in=known).exclude(pk=volunteer.pk).exists():
                raise ValidationError(
                    {"identity_number": _("此證件號碼已屬於另一位志工，請聯絡志推中心協助合併。")}
                )
            changes["identity_number"] = [volunteer.masked_identity, "***"]
            volunteer.identity_number, volunteer.identity_hash = number, digest
        if kind != volunteer.identity_kind:
            changes["identity_kind"] = [volunteer.identity_kind, kind]
            volunteer.identity_kind = kind
    picture = _photo(fields.pop("photo", None))
    merged = {**old, **fields}
    _clean_person(merged)
    for name in fields:
        setattr(volunteer, name, merged[name])
    if picture is not None:
        volunteer.photo.save(picture.name, picture, save=False)
        changes["photo"] = ["", "新照片"]
    volunteer.save()
    changes.update(diff(volunteer, old, VOLUNTEER_FIELDS))
    if changes:
        record_event(
            actor=actor,
            action="volunteer.edited",
            target=volunteer,
            changes=changes,
            organisation=unit.organisation,
        )
    return volunteer


@transaction.atomic
def end_membership(
    *, volunteer: Volunteer, actor, unit: VolunteerUnit, left_on=None, note: str = ""
) -> Membership:
    """The volunteer leaves the unit (離隊); their record and hours stay with them."""
    permissions.require_permission(
        permissions.can_manage_unit(actor, unit), _("只有本單位承辦人可以辦理離隊。")
    )
    membership = Membership.objects.select_for_update().filter(unit=unit, volunteer=volunteer).first()
    if membership is None:
        raise PermissionDenied(_("此志工不在本單位服務。"))
    if membership.left_on is not None:
        raise ValidationError(_("此志工已經離隊。"))
    left_on = left_on or timezone.localdate()
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": _("離隊日期不可早於加入日期。")})
    membership.left_on = left_on
    membership.note = note[:200]
    membership.save(update_fields=["left_on", "note"])
    record_event(
        actor=actor,
        action="volunteer.left_unit",
        target=volunteer,
        changes={"unit": unit.name, "left_on": str(left_on)},
        organisation=unit.organisation,
    )
    return membership


CLAIM_ATTEMPTS = 5


@transaction.atomic
def claim_volunteer_record(*, user, identity_kind: str, identity_number: str, birth_date) -> Volunteer:
    """A signed-in person links their account to their volunteer record by ID number and birth date;
    an ordinary account becomes a volunteer account. Five tries a day (a number in the wrong shape
    is not a try), then the form is locked until tomorrow.

    Each try is counted before the register is asked, by one atomic increment (core/ratelimit.py):
    parallel guesses each take their own count, so no more than five are ever looked up."""
    permissions.require_permission(
        permissions.has_claimable_role(user), _("機關或單位人員帳號不能連結志工紀錄，請使用個人帳號。")
    )
    key = f"volunteers:claim:{user.pk}:{ratelimit.local_date()}"  # today by the limits' one clock
    too_many = _("今天嘗試次數過多，請明天再試，或請服務單位協助。")
    if cache.get(key, 0) >= CLAIM_ATTEMPTS:  # already locked: say so before checking the number
        raise ValidationError(too_many)
    number = _clean_identity(identity_kind, identity_number)
    if ratelimit.count(key, 60 * 60 * 24) > CLAIM_ATTEMPTS:
        raise ValidationError(too_many)
    volunteer = (
        Volunteer.objects.select_for_update()
        .filter(identity_hash__in=lookup_hashes(number), birth_date=birth_date)
        .first()
    )
    if volunteer is None:
        raise ValidationError(_("找不到相符的志工紀錄：請確認證件號碼與出生日期，或請服務單位先為您登錄。"))
    if volunteer.user_id not in (None, user.pk):
        raise ValidationError(_("此志工紀錄已連結其他帳號；如有疑問請聯絡服務單位。"))
    if Volunteer.objects.filter(user=user).exclude(pk=volunteer.pk).exists():
        raise ValidationError(_("您的帳號已連結另一筆志工紀錄。"))
    volunteer.user = user
    volunteer.save(update_fields=["user", "updated_at"])
    if user.role != Role.VOLUNTEER:
        old = user.role
        user.role = Role.VOLUNTEER
        user.save(update_fields=["role"])
        record_event(actor=user, action="user.role_changed", target=user, changes={"role": [old, user.role]})
    record_event(actor=user, action="volunteer.account_linked", target=volunteer)
    return volunteer


# --- Training ---------------------------------------------------------------------------------

TRAINING_FIELDS = ("kind", "domain", "title", "provider", "completed_on", "hours", "certificate_number")


def training_errors(*, kind, domain, completed_on, hours, title, provider) -> dict:
    """{field: message} for what is wrong with a training entry (empty when nothing is)."""
    checks = [
        ("kind", kind not in TrainingKind.values, _("請選擇訓練類別。")),
        ("domain", kind == TrainingKind.SPECIAL and not domain, _("特殊訓練請選擇服務領域。")),
        ("domain", bool(domain) and domain not in ServiceDomain.values, _("請選擇服務領域。")),
        (
            "completed_on",
            completed_on is None or completed_on > timezone.localdate(),
            _("結訓日期不可晚於今天。"),
        ),
        ("hours", hours is None or hours <= 0 or hours > 500, _("訓練時數應大於 0 且不超過 500 小時。")),
        ("title", not (title or "").strip(), _("請填寫課程名稱。")),
        ("provider", not (provider or "").strip(), _("請填寫辦理單位。")),
    ]
    # A later failed check of the same field wins, as the form shows one message per field.
    return {field: message for field, failed, message in checks if failed}


@transaction.atomic
def add_training(
    *,
    volunteer: Volunteer,
    actor,
    unit: VolunteerUnit,
    kind: str,
    title: str,
    provider: str,
    completed_on,
    hours,
    domain: str = "",
    certificate_number: str = "",
    certificate=None,
) -> Training:
    permissions.require_permission(
        permissions.can_manage_unit(actor, unit) and volunteer.memberships.filter(unit=unit).exists(),
        _("只有志工所屬單位的承辦人可以登錄訓練。"),
    )
    errors = training_errors(
        kind=kind, domain=domain, completed_on=completed_on, hours=hours, title=title, provider=provider
    )
    if errors:
        raise ValidationError(errors)
    training = Training(
        volunteer=volunteer,
        kind=kind,
        domain=domain or "",
        title=title.strip(),
        provider=provider.strip(),
        completed_on=completed_on,
        hours=hours,
        certificate_number=(certificate_number or "").strip(),
        recorded_by_unit=unit,
    )
    if certificate:
        try:
            picture = clean_image_upload(certificate)
        except ValidationError as exc:
            raise ValidationError({"certificate": exc.messages}) from None
        training.certificate.save(picture.name, picture, save=False)
    training.save()
    record_event(
        actor=actor,
        action="volunteer.training_added",
        target=training,
        changes={"volunteer": volunteer.name, "kind": kind, "hours": str(hours)},
        organisation=unit.organisation,
    )
    return training


# --- Insurance --------------------------------------------------------------------------------


@transaction.atomic
def create_policy(
    *, unit: VolunteerUnit, actor, insurer: str, policy_number: str, starts_on, ends_on, coverage: str = ""
) -> InsurancePolicy:
    permissions.require_permission(
        permissions.can_manage_unit(actor, unit), _("只有本單位承辦人可以登錄保險。")
    )
    errors = {}
    if not (insurer or "").strip():
        errors["insurer"] = _("請填寫保險公司。")
    if not (policy_number or "").strip():
        errors["policy_number"] = _("請填寫保單號碼。")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("保險期間迄日不可早於起日。")
    if errors:
        raise ValidationError(errors)
    policy = InsurancePolicy.objects.create(
        unit=unit,
        insurer=insurer.strip(),
        policy_number=policy_number.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        coverage=(coverage or "").strip(),
    )
    record_event(actor=actor, action="insurance.created", target=policy, organisation=unit.organisation)
    return policy


@transaction.atomic
def set_insured(*, policy: InsurancePolicy, actor, volunteers) -> InsurancePolicy:
    """Replace the policy's insured list; only the unit's own volunteers can be on it."""
    policy = (
        InsurancePolicy.objects.select_for_update().select_related("unit__organisation").get(pk=policy.pk)
    )
    permissions.require_permission(
        permissions.can_manage_unit(actor, policy.unit), _("只有本單位承辦人可以修改被保險人名單。")
    )
    ids = {v.pk for v in volunteers}
    members = set(
        Membership.objects.filter(unit=policy.unit, volunteer_id__in=ids).values_list(
            "volunteer_id", flat=True
        )
    )
    if ids - members:
        raise ValidationError({"volunteers": _("被保險人只能是本單位的志工。")})
    before = set(policy.insured.values_list("pk", flat=True))
    policy.insured.set(ids)
    if before != ids:
        record_event(
            actor=actor,
            action="insurance.insured_changed",
            target=policy,
            changes={"added": len(ids - before), "removed": len(before - ids), "count": len(ids)},
            organisation=policy.unit.organisation,
        )
    return policy


# --- Awards -----------------------------------------------------------------------------------


@transaction.atomic
def record_award(
    *, volunteer: Volunteer, actor, title: str, grantor: str, awarded_on, note: str = ""
) -> Award:
    permissions.require_permission(
        permissions.can_record_award(actor, volunteer), _("您沒有權限為此志工登錄獎勵。")
    )
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("請填寫獎項。")
    if not (grantor or "").strip():
        errors["grantor"] = _("請填寫頒發單位。")
    if awarded_on is None or awarded_on > timezone.localdate():
        errors["awarded_on"] = _("獲獎日期不可晚於今天。")
    if errors:
        raise ValidationError(errors)
    award = Award.objects.create(
        volunteer=volunteer,
        title=title.strip(),
        grantor=grantor.strip(),
        awarded_on=awarded_on,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    record_event(
        actor=actor, action="volunteer.award_recorded", target=award, changes={"volunteer": volunteer.name}
    )
    return award


__all__ = [
    "IdentityKind",
    "add_training",
    "claim_volunteer_record",
    "create_policy",
    "end_membership",
    "record_award",
    "register_volunteer",
    "set_insured",
    "update_volunteer",
]
