"""The tax export: Taiwan dates, a link for the staff who may use it, and the offline-gift form
taking the donor's ID or tax number and consent like the online form."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.roles import Role
from donations import services
from donations.models import Pledge
from tests.donations.factories import PledgeFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Taipei")


def test_a_gift_paid_at_0315_on_the_30th_taipei_time_is_exported_as_the_30th(client, reviewer, program):
    pledge = PledgeFactory(program=program, amount=1000, tax_consent=True, receipt_id_number="A123456789")
    services._mark_paid(pledge, paid_at=datetime.datetime(2026, 10, 30, 3, 15, tzinfo=TZ), channel="credit")
    # and one paid at 00:30 on 1 January Taipei time (still the old year in UTC) belongs to the new year
    new_year = PledgeFactory(program=program, amount=500, tax_consent=True, receipt_id_number="F131104093")
    services._mark_paid(new_year, paid_at=datetime.datetime(2027, 1, 1, 0, 30, tzinfo=TZ), channel="credit")
    client.force_login(reviewer)
    response = client.get(reverse("donations:tax_export", args=[115]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))
    assert [(r[1], r[4]) for r in rows[1:]] == [("A123456789", "2026-10-30")]


@pytest.mark.parametrize(("role", "sees_link"), [(Role.SW_REVIEWER, True), (Role.CASEWORKER, False)])
def test_the_staff_who_may_use_the_tax_export_get_a_link_to_it(client, make_user, bureau, role, sees_link):
    user = make_user(role, organisation=bureau)
    client.force_login(user)
    page = client.get(reverse("donations:staff_list")).content.decode()
    link = reverse("donations:tax_export", args=[115])
    assert (link in page) is sees_link
    from donations.menu import items_for

    assert any(item["url"] == link for item in items_for(user)) is sees_link


def offline(client, **extra):
    return client.post(
        reverse("donations:offline_gift"),
        {
            "channel": "remittance",
            "amount": 3000,
            "paid_on": "2026-10-05",
            "donor_kind": "person",
            "donor_name": "林志明",
            "disclosure_mode": "full",
            **extra,
        },
    )


def test_the_offline_gift_form_takes_the_id_number_and_consent(client, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("donations:offline_gift")).content.decode()
    assert 'name="receipt_id_number"' in page and 'name="tax_consent"' in page
    response = offline(client, receipt_id_number="a123456789", tax_consent="on", receipt_address="臺北市")
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert (pledge.receipt_id_number, pledge.tax_consent, pledge.receipt_address) == (
        "A123456789",
        True,
        "臺北市",
    )


def test_the_offline_gift_form_refuses_a_wrong_id_or_consent_without_one(client, reviewer):
    client.force_login(reviewer)
    bad = offline(client, receipt_id_number="A123456788")
    assert bad.status_code == 200 and "身分證字號" in bad.content.decode()
    missing = offline(client, tax_consent="on")
    assert missing.status_code == 200 and "同意申報捐贈扣除額時" in missing.content.decode()
    assert not Pledge.objects.exists()
