"""Helpers for honor-card tests: a volunteer with a service history, images, cards issued directly."""

import datetime
import io
import math
from decimal import Decimal

from django.core.files.base import ContentFile
from PIL import Image

from accounts.roles import Role
from honorcards import services
from honorcards.eligibility import add_years
from honorcards.models import ApplicationStatus
from tests.accounts.factories import make_user
from tests.volunteers.factories import UnitFactory, member_of, officer_of, special_training
from volunteers.models import ServiceDomain, ServiceRecord, ServiceRecordSource


def image_bytes(fmt="PNG", size=(120, 160), color=(200, 120, 80)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def photo(name="photo.png") -> ContentFile:
    return ContentFile(image_bytes(), name=name)


def history(volunteer, unit, *, start, last, total_hours, domain=ServiceDomain.SOCIAL_WELFARE):
    """Service records from ``start`` to ``last`` (both days have one) adding up to ``total_hours``."""
    total = Decimal(str(total_hours))
    n = max(2, math.ceil(total / 20))
    per = (total / n / Decimal("0.25")).quantize(Decimal("1")) * Decimal("0.25")
    span = (last - start).days
    rows = [(start + datetime.timedelta(days=span * i // (n - 1)), per) for i in range(n - 1)]
    rows.append((last, total - per * (n - 1)))
    ServiceRecord.objects.bulk_create(
        ServiceRecord(
            volunteer=volunteer,
            unit=unit,
            served_on=d,
            hours=h,
            domain=domain,
            source=ServiceRecordSource.FORM,
        )
        for d, h in rows
    )


def eligible_volunteer(unit, *, today=None, years=4, hours=320, trained=True, **kwargs):
    today = today or datetime.date.today()
    start = add_years(today, -years)
    volunteer = member_of(unit, service_started_on=start, **kwargs)
    if trained:
        special_training(volunteer, completed_on=start - datetime.timedelta(days=30))
    history(volunteer, unit, start=start, last=today - datetime.timedelta(days=10), total_hours=hours)
    volunteer.photo.save("v.png", photo(), save=True)
    return volunteer


class World:
    """A unit with an officer, a centre reviewer and a bureau card reviewer."""

    def __init__(self):
        self.unit = UnitFactory(approved=True)
        self.officer = officer_of(self.unit)
        self.centre = make_user(Role.CENTRE_STAFF)
        self.reviewer = make_user(Role.CARD_REVIEWER)

    def apply(self, volunteer=None, **kwargs):
        volunteer = volunteer or eligible_volunteer(self.unit)
        return services.submit_application(
            volunteer=volunteer,
            unit=self.unit,
            actor=self.officer,
            record_book_number=volunteer.record_book_number,
            photo=photo(),
            **kwargs,
        )

    def issue(self, volunteer=None, today=None):
        application = self.apply(volunteer, as_of=today)
        services.centre_approve(application=application, actor=self.centre)
        card = services.final_approve(application=application, actor=self.reviewer, today=today)
        application.refresh_from_db()
        assert application.status == ApplicationStatus.APPROVED
        return card
