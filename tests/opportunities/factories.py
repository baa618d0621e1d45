"""Opportunities for tests: ``open_opportunity(unit)`` posts, adds a shift and publishes through
the services (so the event and its shift exist as in real use)."""

import datetime

from django.utils import timezone

from accounts.roles import Role
from opportunities import services
from tests.accounts.factories import make_user
from tests.volunteers.factories import UnitFactory, officer_of
from volunteers.models import ServiceDomain


def opportunity_fields(**overrides) -> dict:
    today = timezone.localdate()
    fields = {
        "title": "長者共餐陪伴志工",
        "description": "協助長者用餐與聊天陪伴。",
        "domain": ServiceDomain.SOCIAL_WELFARE,
        "kind": "one_off",
        "starts_on": today + datetime.timedelta(days=3),
        "ends_on": today + datetime.timedelta(days=3),
        "schedule": "",
        "capacity": 2,
        "venue": "臺北市萬華區西園路二段1號",
        "district": "",
        "latitude": None,
        "longitude": None,
        "requires_basic_training": False,
        "requires_special_training": False,
        "min_age": None,
        "max_age": None,
        "conditions": "",
        "suits_family": False,
        "suits_youth": False,
        "suits_senior": True,
        "suits_company": False,
        "question": "",
        "contact_name": "李志豪",
        "contact_phone": "",
        "contact_email": "",
    }
    fields.update(overrides)
    return fields


def open_opportunity(unit=None, officer=None, *, shift=True, publish=True, **overrides):
    unit = unit or UnitFactory(approved=True)
    officer = officer or officer_of(unit)
    opportunity = services.create_opportunity(unit=unit, actor=officer, **opportunity_fields(**overrides))
    if shift:
        services.add_shift(
            opportunity=opportunity,
            actor=officer,
            date=opportunity.starts_on,
            starts_at=datetime.time(9),
            ends_at=datetime.time(12),
            capacity=10,
            task="陪伴",
        )
    if publish:
        services.publish_opportunity(opportunity=opportunity, actor=officer)
    opportunity.refresh_from_db()
    opportunity.officer = officer
    return opportunity


def citizen(**kwargs):
    kwargs.setdefault("name", "陳小華")
    return make_user(Role.DONOR, **kwargs)


def identity(n: int = 1, **overrides) -> dict:
    from core.seeding import fake_national_id

    data = {
        "identity_kind": "national_id",
        "identity_number": fake_national_id(8_000_000 + n),
        "birth_date": datetime.date(1990, 4, 1),
        "sex": "F",
    }
    data.update(overrides)
    return data
