"""The opportunity and application rules as pure functions (no database).

Each check returns the zh-Hant errors it finds keyed by form field (an empty dict when all is
well), so a form shows every problem at once. ``services.create_opportunity`` and
``update_opportunity`` call ``clean_opportunity``; ``applications.apply`` loads its facts with
``selectors.application_facts`` and calls ``clean_application`` before it writes anything.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.validators import validate_identity_number
from dashboard.geo import validate_coordinates
from volunteers.models import ServiceDomain, Sex

from .models import OpportunityKind

# How far ahead an opportunity may be posted (a typo such as year 2226 is refused, not stored).
MAX_DAYS_AHEAD = 2 * 366
MAX_CAPACITY = 10_000
MAX_AGE = 120
MAX_NAME = 100
REQUIRED_TEXT = ("title", "description", "venue", "contact_name")
# The earliest birth date taken as real (earlier is a typo).
EARLIEST_BIRTH = datetime.date(1900, 1, 1)


# --- Opportunities ----------------------------------------------------------------------------


def normalise_opportunity(fields: dict) -> dict:
    """Required texts stripped; a one-off activity without an end date ends the day it starts."""
    fields = {**fields, **{name: (fields.get(name) or "").strip() for name in REQUIRED_TEXT}}
    if fields.get("ends_on") is None and fields.get("kind") == OpportunityKind.ONE_OFF:
        fields["ends_on"] = fields.get("starts_on")
    return fields


def required_text_errors(fields: dict) -> dict:
    return {name: _("此欄位必填。") for name in REQUIRED_TEXT if not fields.get(name)}


def choice_errors(fields: dict) -> dict:
    errors = {}
    if fields.get("domain") not in ServiceDomain.values:
        errors["domain"] = _("請選擇服務領域。")
    if fields.get("kind") not in OpportunityKind.values:
        errors["kind"] = _("請選擇單次活動或定期服務。")
    return errors


def period_errors(starts, ends, *, today: datetime.date, is_new: bool) -> dict:
    """Both dates given, in order, not over (when posting) and within ``MAX_DAYS_AHEAD``."""
    errors = {}
    if starts is None:
        errors["starts_on"] = _("請填寫開始日期。")
    if ends is None:
        errors["ends_on"] = _("請填寫結束日期。")
    if not (starts and ends):
        return errors
    if ends < starts:
        errors["ends_on"] = _("結束日期不可早於開始日期。")
    if is_new and ends < today:
        errors["ends_on"] = _("結束日期已經過去。")
    horizon = today + datetime.timedelta(days=MAX_DAYS_AHEAD)
    if starts > horizon:
        errors["starts_on"] = _("開始日期請在兩年之內。")
    elif ends > horizon:
        errors["ends_on"] = _("結束日期請在兩年之內。")
    return errors


def capacity_errors(capacity) -> dict:
    if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
        return {"capacity": _("招募人數請填 1 到 %(max)s 人。") % {"max": f"{MAX_CAPACITY:,}"}}
    return {}


def age_range_errors(low, high) -> dict:
    errors = {
        name: _("年齡請填 0 到 120 歲。")
        for name, age in (("min_age", low), ("max_age", high))
        if age is not None and not 0 <= age <= MAX_AGE
    }
    if low is not None and high is not None and high < low:
        errors["max_age"] = _("最高年齡不可低於最低年齡。")
    return errors


def coordinate_errors(latitude, longitude) -> dict:
    try:
        validate_coordinates(latitude, longitude, required=False)
    except ValidationError as exc:
        return exc.message_dict
    return {}


def clean_opportunity(fields: dict, *, today: datetime.date, is_new: bool) -> dict:
    """``fields`` normalised, or ValidationError keyed by field with every problem found."""
    fields = normalise_opportunity(fields)
    errors = {
        **required_text_errors(fields),
        **choice_errors(fields),
        **period_errors(fields.get("starts_on"), fields.get("ends_on"), today=today, is_new=is_new),
        **capacity_errors(fields.get("capacity")),
        **age_range_errors(fields.get("min_age"), fields.get("max_age")),
        **coordinate_errors(fields.get("latitude"), fields.get("longitude")),
    }
    if errors:
        raise ValidationError(errors)
    return fields


# --- Applications -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationFacts:
    """What an application is checked against (loaded by ``selectors.application_facts``)."""

    opportunity: object  # the Opportunity, with its unit and organisation
    profile: object | None  # the applicant's Volunteer record, if any
    already_applied: bool  # a live application of theirs to this opportunity exists


@dataclass(frozen=True)
class ApplicantDetails:
    """What ``apply`` stores about the person: from the volunteer record when there is one, else
    what they typed (checked); ``identity_number`` normalised, empty when not collected."""

    name: str
    identity_kind: str
    identity_number: str
    birth_date: datetime.date | None
    sex: str


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def name_errors(name: str) -> dict:
    if not name:
        return {"name": _("請填寫姓名。")}
    if len(name) > MAX_NAME:
        return {"name": _("姓名最多 100 個字。")}
    return {}


def identity_errors(identity_kind: str, identity_number: str) -> tuple[str, dict]:
    """(the normalised number, errors): an unknown kind is the kind's error, else the number's."""
    try:
        return validate_identity_number(identity_kind, identity_number), {}
    except ValidationError as exc:
        field = "identity_kind" if getattr(exc, "code", None) == "kind" else "identity_number"
        return "", {field: exc.messages}


def birth_date_errors(birth_date, *, today: datetime.date) -> dict:
    if birth_date is None:
        return {"birth_date": _("請填寫出生日期。")}
    if birth_date > today or birth_date < EARLIEST_BIRTH:
        return {"birth_date": _("出生日期不合理，請再確認一次。")}
    return {}


def sex_errors(sex: str) -> dict:
    return {} if sex in Sex.values else {"sex": _("請選擇性別。")}


def age_limit_errors(birth_date, opportunity, *, today: datetime.date) -> dict:
    """The age on the first day of service (today when it has begun) within the opportunity's limits."""
    if not birth_date:
        return {}
    age = age_on(birth_date, max(opportunity.starts_on, today))
    if opportunity.min_age is not None and age < opportunity.min_age:
        return {"birth_date": _("這則招募需年滿 %(age)s 歲。") % {"age": opportunity.min_age}}
    if opportunity.max_age is not None and age > opportunity.max_age:
        return {"birth_date": _("這則招募限 %(age)s 歲以下。") % {"age": opportunity.max_age}}
    return {}


def shift_errors(shifts, opportunity, *, today: datetime.date) -> dict:
    if any(shift.event_id != opportunity.event_id for shift in shifts):
        return {"shifts": _("請選擇這則招募的班次。")}
    if any(shift.date < today for shift in shifts):
        return {"shifts": _("所選班次已經過去。")}
    return {}


def register_details(identity_kind, identity_number, birth_date, sex, *, today) -> tuple[dict, dict]:
    """Someone not yet on the register gives what it needs: (the details, errors)."""
    number, errors = identity_errors(identity_kind, identity_number)
    errors.update(birth_date_errors(birth_date, today=today))
    errors.update(sex_errors(sex))
    details = {
        "identity_kind": identity_kind if number else "",
        "identity_number": number,
        "birth_date": birth_date,
        "sex": sex,
    }
    return details, errors


def clean_application(facts, *, name, shifts, today: datetime.date, **typed) -> ApplicantDetails:
    """The applicant's details, or ValidationError keyed by field with every problem found.
    ``typed`` is what someone without a volunteer record typed (identity_kind, identity_number,
    birth_date, sex); with a record only its birth date counts."""
    if facts.profile is not None:  # the register already has them
        details = {
            "identity_kind": "",
            "identity_number": "",
            "birth_date": facts.profile.birth_date,
            "sex": "",
        }
        errors = {}
    else:
        details, errors = register_details(**typed, today=today)
    errors = {**name_errors(name), **errors}
    if "birth_date" not in errors:
        errors.update(age_limit_errors(details["birth_date"], facts.opportunity, today=today))
    errors.update(shift_errors(shifts, facts.opportunity, today=today))
    if errors:
        raise ValidationError(errors)
    if facts.already_applied:
        raise ValidationError(_("您已報名這則招募。"))
    return ApplicantDetails(name=name, **details)
