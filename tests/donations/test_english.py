"""English for the public: payment methods, donor type and disclosure choices (model choices)
are translated wherever the public sees them."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse

from disclosure import services as disclosure_services
from donations import services
from donations.models import Channel, DisclosureMode, DonorKind, PledgeStatus
from tests.donations.factories import PledgeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_give_form_in_english_offers_english_choices(english, program):
    html = english.get(reverse("donations:give") + f"?program={program.pk}").content.decode()
    for label in ("Credit card", "ATM transfer", "Convenience store code", "Convenience store barcode"):
        assert label in html
    assert "Company" in html and "Person" in html
    assert "Use a display name" in html and "Anonymous" in html
    for chinese in ("信用卡", "超商代碼", "公司／團體", "使用自訂名稱", "匿名（善心人士）"):
        assert chinese not in html


def test_every_money_choice_has_an_english_label():
    from django.utils import translation

    with translation.override("en"):
        for choices in (Channel, DisclosureMode, DonorKind, PledgeStatus):
            for value, label in choices.choices:
                assert str(label).isascii(), (choices.__name__, value, str(label))


def test_the_disclosure_month_in_english_shows_payment_methods_in_english(english, program):
    pledge = PledgeFactory(program=program, amount=500)
    when = datetime.datetime(2026, 10, 5, 12, tzinfo=ZoneInfo("Asia/Taipei"))
    services._mark_paid(pledge, paid_at=when, channel="credit")
    report, _ = disclosure_services.build_report(2026, 10)
    assert report.content["income"][0]["channel"] == "信用卡"  # the record itself stays Chinese
    html = english.get(reverse("disclosure:month", args=[2026, 10])).content.decode()
    assert "Credit card" in html
