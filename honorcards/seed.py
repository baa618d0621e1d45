"""Demo honor cards: applications in every state and issued cards (valid, expired, revoked, replaced)
in the demo unit 臺北市立聯合醫院志工隊, for volunteers this seeder makes itself (so it works however
thin the volunteers' demo data is). ``samples.honor_card`` is the valid card of 李大明.

Idempotent: the people are found by their ID hash; a person who already has an application or a
card is left alone. Objects are written directly (no e-mail, no audit events: seeding is nobody's act).
"""

import datetime
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import Organisation, User
from accounts.seed import DEMO_UNIT, SOCIAL_WELFARE
from core.crypto import lookup_hash
from core.seeding import DEMO_EMAIL_DOMAIN, fake_national_id
from core.validators import IdentityKind
from volunteers.models import (
    Membership,
    ServiceDomain,
    ServiceRecord,
    ServiceRecordSource,
    Training,
    TrainingKind,
    Volunteer,
    VolunteerUnit,
)

from . import services
from .eligibility import Declared, add_years
from .models import Application, ApplicationKind, ApplicationPage, ApplicationStatus, CardStatus, HonorCard
from .selectors import check_eligibility

# (name, sex, birth date, what to make)
PEOPLE = [
    ("李大明", "M", datetime.date(1953, 3, 30), "valid"),
    ("陳淑華", "F", datetime.date(1961, 8, 12), "submitted"),
    ("林志偉", "M", datetime.date(1958, 1, 5), "centre_approved"),
    ("王美惠", "F", datetime.date(1966, 11, 23), "returned"),
    ("張家豪", "M", datetime.date(1955, 4, 2), "declared"),
    ("黃秀英", "F", datetime.date(1950, 9, 9), "expired"),
    ("劉俊傑", "M", datetime.date(1963, 6, 18), "revoked"),
    ("吳雅琪", "F", datetime.date(1970, 2, 27), "replaced"),
    ("鄭文雄", "M", datetime.date(1957, 7, 7), "eligible"),
    ("謝佩君", "F", datetime.date(1964, 12, 1), "eligible"),
    ("周美玉", "F", datetime.date(1975, 5, 20), "not_yet"),
]
EXTRA_CARDS = 6  # more valid cards per --scale step, for batch printing
ID_BASE = 950_000


def portrait(seed: int) -> ContentFile:
    """A plain made-up portrait (no real person): a coloured background, head and shoulders."""
    hues = [(196, 222, 240), (240, 214, 196), (214, 236, 206), (232, 220, 240)]
    image = Image.new("RGB", (300, 400), hues[seed % len(hues)])
    draw = ImageDraw.Draw(image)
    draw.ellipse((95, 70, 205, 190), fill=(226, 190, 160))
    draw.rounded_rectangle((55, 210, 245, 420), radius=60, fill=(70 + seed * 13 % 120, 90, 130))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return ContentFile(out.getvalue(), name=f"portrait-{seed}.jpg")


def record_page(seed: int) -> ContentFile:
    image = Image.new("RGB", (600, 800), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    for y in range(80, 780, 40):
        draw.line((40, y, 560, y), fill=(170, 170, 170), width=1)
    draw.rectangle((40, 20, 560, 60), outline=(120, 60, 60), width=3)
    out = io.BytesIO()
    image.save(out, "PNG")
    return ContentFile(out.getvalue(), name=f"page-{seed}.png")


def _unit():
    org = Organisation.objects.filter(name=DEMO_UNIT).first()
    if org is None:
        return None
    unit, _ = VolunteerUnit.objects.get_or_create(
        organisation=org, defaults={"main_domain": ServiceDomain.HEALTH, "description": "醫院志工"}
    )
    return unit


def _person(n, name, sex, birth, unit, *, start, paper=False):
    identity = fake_national_id(ID_BASE + n, sex=sex)
    volunteer = Volunteer.objects.filter(identity_hash=lookup_hash(identity)).first()
    if volunteer is not None:
        return volunteer, False
    volunteer = Volunteer.objects.create(
        name=name,
        identity_kind=IdentityKind.NATIONAL_ID,
        identity_number=identity,
        identity_hash=lookup_hash(identity),
        birth_date=birth,
        sex=sex,
        record_book_number=f"北市志字第{ID_BASE + n:06d}號",
        record_book_issued_on=start,
        service_started_on=None if paper else start,
    )
    volunteer.photo.save(f"seed-{n}.jpg", portrait(n), save=True)
    Membership.objects.get_or_create(
        unit=unit, volunteer=volunteer, defaults={"joined_on": start, "main_domain": unit.main_domain}
    )
    Training.objects.create(
        volunteer=volunteer,
        kind=TrainingKind.SPECIAL,
        domain=unit.main_domain,
        title="醫院志工特殊訓練",
        provider="臺北市立聯合醫院",
        completed_on=start - datetime.timedelta(days=20),
        hours=Decimal("12"),
    )
    return volunteer, True


def _serve(volunteer, unit, start, last, hours_per_month: int):
    """A shift every week or so from ``start`` to ``last``, about ``hours_per_month`` a month."""
    per_shift = Decimal(hours_per_month) / 4
    rows, day = [], start
    while day <= last:
        rows.append(
            ServiceRecord(
                volunteer=volunteer,
                unit=unit,
                served_on=day,
                hours=per_shift,
                domain=unit.main_domain,
                activity="門診引導",
                source=ServiceRecordSource.FORM,
            )
        )
        day += datetime.timedelta(days=7)
    if rows and rows[-1].served_on != last:
        rows.append(
            ServiceRecord(
                volunteer=volunteer,
                unit=unit,
                served_on=last,
                hours=per_shift,
                domain=unit.main_domain,
                activity="門診引導",
                source=ServiceRecordSource.FORM,
            )
        )
    ServiceRecord.objects.bulk_create(rows)


def _application(volunteer, unit, officer, status, *, as_of, declared=None, submitted_days_ago=2, **fields):
    declared = declared or Declared()
    result = check_eligibility(volunteer, as_of=as_of, declared=declared)
    application = Application(
        volunteer=volunteer,
        unit=unit,
        kind=ApplicationKind.RENEWAL if result.kind == "renewal" else ApplicationKind.FIRST,
        status=status,
        record_book_number=volunteer.record_book_number,
        counted_from=result.counted_from or as_of,
        counted_until=result.counted_until or as_of,
        years=result.years,
        extra_days=result.days,
        hours=result.hours,
        declared=bool(declared),
        declared_start=declared.service_started_on,
        declared_last_service=declared.last_service_on,
        declared_hours=declared.hours,
        eligibility=result.as_dict(),
        submitted_at=timezone.now() - datetime.timedelta(days=submitted_days_ago),
        created_by=officer,
        **fields,
    )
    if result.previous_card_number:
        application.previous_card = HonorCard.objects.get(number=result.previous_card_number)
    application.photo.save(f"seed-{volunteer.pk}.jpg", portrait(volunteer.pk), save=False)
    application.save()
    return application, result


def _issue(volunteer, unit, officer, centre, reviewer, issued_on):
    application, result = _application(
        volunteer,
        unit,
        officer,
        ApplicationStatus.APPROVED,
        as_of=issued_on,
        submitted_days_ago=(timezone.localdate() - issued_on).days + 5,
        centre_reviewed_by=centre,
        bureau_reviewed_by=reviewer,
    )
    application.centre_reviewed_at = application.submitted_at + datetime.timedelta(days=1)
    application.bureau_reviewed_at = application.submitted_at + datetime.timedelta(days=3)
    application.save()
    card = services.new_card(
        volunteer=volunteer,
        unit=unit,
        application=application,
        holder_name=volunteer.name,
        photo_file=application.photo,
        issued_on=issued_on,
        expires_on=add_years(issued_on, 3) - datetime.timedelta(days=1),
        counted_from=result.counted_from,
        counted_until=result.counted_until,
        hours=result.hours,
        years=result.years,
    )
    card.service_records.set(result.record_ids)
    return card


def seed(ctx):
    unit = _unit()
    users = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")}
    officer, centre, reviewer = users.get("unit"), users.get("centre"), users.get("cardreviewer")
    if unit is None or not (officer and centre and reviewer):
        ctx.log("honorcards: demo unit or staff missing, skipped")
        return
    if (
        Organisation.objects.filter(name=SOCIAL_WELFARE).exists()
        and not unit.organisation.competent_bureau_id
    ):
        unit.organisation.competent_bureau = Organisation.objects.get(name=SOCIAL_WELFARE)
        unit.organisation.save(update_fields=["competent_bureau"])
    today = timezone.localdate()
    recent = today - datetime.timedelta(days=12)
    made = 0
    for n, (name, sex, birth, what) in enumerate(PEOPLE, start=1):
        if what == "expired":
            start = add_years(today, -8)
        elif what == "not_yet":
            start = add_years(today, -2)
        else:
            start = add_years(today, -5) - datetime.timedelta(days=40 * n)
        volunteer, new = _person(n, name, sex, birth, unit, start=start, paper=what == "declared")
        if not new:
            continue
        made += 1
        if what == "declared":
            _serve(volunteer, unit, add_years(today, -1), recent, 6)
            declared = Declared(start, add_years(today, -1) - datetime.timedelta(days=1), Decimal("410.5"))
            application, _ = _application(
                volunteer,
                unit,
                officer,
                ApplicationStatus.SUBMITTED,
                as_of=today,
                declared=declared,
                submitted_days_ago=1,
            )
            application.record_book_cover.save(f"seed-cover-{n}.png", record_page(n), save=True)
            for i in range(2):
                page = ApplicationPage(application=application, position=i)
                page.image.save(f"seed-page-{n}-{i}.png", record_page(n * 10 + i), save=True)
            continue
        _serve(volunteer, unit, start, recent, 10 if what == "not_yet" else 12)
        if what == "submitted":
            _application(
                volunteer, unit, officer, ApplicationStatus.SUBMITTED, as_of=today, submitted_days_ago=3
            )
        elif what == "centre_approved":
            _application(
                volunteer,
                unit,
                officer,
                ApplicationStatus.CENTRE_APPROVED,
                as_of=today,
                submitted_days_ago=5,
                centre_reviewed_by=centre,
                centre_reviewed_at=timezone.now(),
            )
        elif what == "returned":
            _application(
                volunteer,
                unit,
                officer,
                ApplicationStatus.RETURNED,
                as_of=today,
                submitted_days_ago=6,
                return_reason="大頭照模糊，請重新上傳清晰的一吋半身照。",
                returned_at_stage="centre",
            )
        elif what == "valid":
            _issue(volunteer, unit, officer, centre, reviewer, today - datetime.timedelta(days=60))
        elif what == "expired":
            _issue(
                volunteer, unit, officer, centre, reviewer, add_years(today, -3) - datetime.timedelta(days=20)
            )
        elif what == "revoked":
            card = _issue(volunteer, unit, officer, centre, reviewer, today - datetime.timedelta(days=200))
            HonorCard.objects.filter(pk=card.pk).update(
                status=CardStatus.REVOKED,
                revoked_at=timezone.now(),
                revoked_by=reviewer,
                revoke_reason="經查服務紀錄有誤，撤銷核發。",
            )
        elif what == "replaced":
            old = _issue(volunteer, unit, officer, centre, reviewer, today - datetime.timedelta(days=300))
            HonorCard.objects.filter(pk=old.pk).update(status=CardStatus.REPLACED)
            new = services.new_card(
                volunteer=volunteer,
                unit=unit,
                application=old.application,
                holder_name=volunteer.name,
                photo_file=old.photo,
                issued_on=today - datetime.timedelta(days=100),
                expires_on=old.expires_on,
                counted_from=old.counted_from,
                counted_until=old.counted_until,
                hours=old.hours,
                years=old.years,
                replaces=old,
            )
            new.service_records.set(old.service_records.all())
    extra_needed = EXTRA_CARDS * ctx.scale
    for i in range(extra_needed):
        n = 100 + i
        volunteer, new = _person(
            n,
            f"榮譽志工{i + 1:03d}",
            "F" if i % 2 else "M",
            datetime.date(1960 + i % 20, 1 + i % 12, 3),
            unit,
            start=add_years(today, -4) - datetime.timedelta(days=i),
        )
        if not new:
            continue
        made += 1
        _serve(volunteer, unit, add_years(today, -4) - datetime.timedelta(days=i), recent, 10)
        _issue(volunteer, unit, officer, centre, reviewer, today - datetime.timedelta(days=30 + i))

    card = (
        HonorCard.objects.filter(volunteer__identity_hash=lookup_hash(fake_national_id(ID_BASE + 1, sex="M")))
        .filter(Q(status=CardStatus.VALID))
        .select_related("volunteer")
        .first()
    )
    if card is not None:
        ctx.samples["honor_card"] = {
            "number": card.number,
            "verify_url": card.verify_path,
            "holder_name": card.holder_name,
            "national_id": card.volunteer.identity_number,
            "birth_date": card.volunteer.birth_date.isoformat(),
            "expires_on": card.expires_on.isoformat(),
        }
    ctx.log(f"honorcards: {made} demo people with applications and cards")
