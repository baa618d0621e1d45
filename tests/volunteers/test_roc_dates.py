"""ROC dates throughout the registry, through core.roc: messages, shift options, year fields."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.accounts.factories import make_user
from tests.volunteers.factories import ServiceRecordFactory, UnitFactory, member_of, officer_of
from volunteers.events import services as events
from volunteers.events.forms import SignupAddForm
from volunteers.hours import rules as hour_rules
from volunteers.hours import services as hours
from volunteers.models import ServicePlan

pytestmark = pytest.mark.django_db


def test_the_day_limit_message_gives_the_roc_date():
    message = hour_rules.over_the_day_message(datetime.date(2026, 11, 20), Decimal("15"), Decimal("10"))
    assert message.startswith("115.11.20 再加 10 小時") and "2026" not in message


def test_recording_over_the_limit_says_the_roc_date(client):
    unit = UnitFactory(approved=True)
    officer = officer_of(unit)
    volunteer = member_of(unit)
    day = datetime.date.today() - datetime.timedelta(days=1)
    ServiceRecordFactory(volunteer=volunteer, unit=unit, served_on=day, hours=Decimal("20"))
    with pytest.raises(Exception) as refused:
        hours.record_service(
            unit=unit, actor=officer, volunteer=volunteer, served_on=day, hours="5", domain="health"
        )
    assert f"{day.year - 1911}.{day:%m.%d} 再加 5 小時" in str(refused.value)
    assert day.isoformat() not in str(refused.value)


def test_shift_options_show_roc_dates():
    unit = UnitFactory(approved=True)
    officer = officer_of(unit)
    today = datetime.date.today()
    event = events.create_event(
        unit=unit, actor=officer, title="院慶", venue="x", domain="health", starts_on=today, ends_on=today
    )
    events.add_shift(
        event=event,
        actor=officer,
        date=today,
        starts_at=datetime.time(9),
        ends_at=datetime.time(12),
        capacity=1,
    )
    html = str(SignupAddForm(event=event)["shift"])
    assert f"{today.year - 1911}.{today:%m.%d} 09:00–12:00" in html and today.isoformat() not in html


def test_the_plan_form_asks_for_the_roc_year_and_stores_the_western_one(client):
    unit = UnitFactory()
    client.force_login(officer_of(unit))
    page = client.get(reverse("volunteers:plan_create", args=[unit.pk])).content.decode()
    assert "年度（民國）" in page and "西元" not in page
    response = client.post(
        reverse("volunteers:plan_create", args=[unit.pk]),
        {
            "year": "115",
            "title": "115年度志願服務計畫",
            "domain": "health",
            "service_items": "門診導引",
            "expected_volunteers": "10",
            "recruitment": "x",
            "training_plan": "x",
            "insurance_plan": "x",
            "budget": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ServicePlan.objects.get().year == 2026


def test_the_statistics_year_is_roc(client):
    client.force_login(make_user(Role.CENTRE_STAFF))
    page = client.get(reverse("volunteers:statistics"), {"year": "113"}).content.decode()
    assert "年度（民國）" in page and 'value="113"' in page and "113 年度總覽" in page
    # Links and bookmarks with the Western year keep working.
    assert "113 年度總覽" in client.get(reverse("volunteers:statistics"), {"year": "2024"}).content.decode()
