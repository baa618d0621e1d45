"""Names as donors chose: sign-up and the profile ask for the donor's name and receipt details
(with the ID number and consent the tax export needs), the give form is pre-filled from them, and
the annual receipt names the donor, never the account's e-mail."""

import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from donations import services as donation_services
from tests.donations.factories import PledgeFactory

pytestmark = pytest.mark.django_db


def test_signup_asks_for_the_name_and_receipt_details(client):
    form = client.get(reverse("account_signup")).content.decode()
    for field in ("name", "receipt_name", "receipt_address", "receipt_id_number", "tax_consent"):
        assert f'name="{field}"' in form
    response = client.post(
        reverse("account_signup"),
        {
            "email": "a@example.tw",
            "password1": "a-long-pass-phrase-1",
            "password2": "a-long-pass-phrase-1",
            "name": "陳美華",
            "donor_kind": "person",
            "receipt_id_number": "a123456789",
            "tax_consent": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="a@example.tw")
    assert (user.name, user.receipt_name, user.receipt_id_number, user.tax_consent) == (
        "陳美華",
        "陳美華",
        "A123456789",
        True,
    )


def test_signup_refuses_consent_without_an_id_number(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "b@example.tw",
            "password1": "a-long-pass-phrase-1",
            "password2": "a-long-pass-phrase-1",
            "name": "陳美華",
            "donor_kind": "person",
            "tax_consent": "on",
        },
    )
    assert response.status_code == 200
    assert "同意申報捐贈扣除額時" in response.content.decode()
    assert not User.objects.filter(email="b@example.tw").exists()


def test_the_profile_saves_details_and_the_give_form_is_prefilled(client, make_user):
    donor = make_user(Role.DONOR, name="")
    client.force_login(donor)
    response = client.post(
        reverse("profile"),
        {
            "name": "好食品股份有限公司",
            "donor_kind": "company",
            "receipt_name": "台灣好食品股份有限公司",
            "receipt_address": "臺北市信義區市府路1號",
            "receipt_id_number": "04595257",
            "tax_consent": "on",
        },
    )
    assert response.status_code == 302
    give = client.get(reverse("donations:give")).content.decode()
    assert 'value="台灣好食品股份有限公司"' in give
    assert 'value="臺北市信義區市府路1號"' in give
    assert 'value="04595257"' in give
    assert re.search(r'value="company"[^>]*checked', give)


def test_the_profile_keeps_a_company_tax_id_typed_in_full_width_in_ascii(client, make_user):
    donor = make_user(Role.DONOR)
    client.force_login(donor)
    response = client.post(
        reverse("profile"),
        {"name": "好食品", "donor_kind": "company", "receipt_id_number": "０４５９５２５７"},
    )
    assert response.status_code == 302
    donor.refresh_from_db()
    assert donor.receipt_id_number == "04595257"


def test_the_annual_receipt_names_the_donor_not_the_email(client, make_user):
    donor = make_user(Role.DONOR, name="")
    donor.receipt_name = "林志明"
    donor.save()
    pledge = PledgeFactory(donor=donor, guest_email="", amount=1000, receipt_name="林志明")
    donation_services._mark_paid(pledge, paid_at=timezone.now(), channel="credit")
    client.force_login(donor)
    year = timezone.localdate().year - 1911
    pdf = client.get(reverse("donations:annual_receipt", args=[year])).content
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "林志明" in text and donor.email not in text
