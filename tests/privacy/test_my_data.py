"""A signed-in volunteer or donor sees and downloads everything the portal holds about them
(JSON, a readable page, a PDF), and only that; ID numbers appear masked."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import OrganisationKind, Role
from audit.services import record_event
from donations import services as donation_services
from privacy.selectors import IDENTITY_REVEALED
from tests.accounts.factories import OrganisationFactory
from tests.donations.factories import PledgeFactory
from tests.volunteers.factories import (
    AwardFactory,
    InsurancePolicyFactory,
    ServiceRecordFactory,
    TrainingFactory,
    UnitFactory,
    member_of,
    officer_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(make_user):
    """A volunteer of one unit who has also given money, with one ID-number reveal on record."""
    user = make_user(Role.VOLUNTEER, name="林志明")
    unit = UnitFactory(organisation__name="北投志工隊")
    volunteer = member_of(unit, name="林志明", identity_number="A123456789", address="北投區大業路1號")
    volunteer.user = user
    volunteer.save()
    ServiceRecordFactory(
        volunteer=volunteer, unit=unit, served_on=datetime.date(2026, 3, 2), activity="陪伴長者"
    )
    TrainingFactory(volunteer=volunteer, title="志願服務基礎訓練")
    InsurancePolicyFactory(unit=unit, policy_number="P-777").insured.add(volunteer)
    AwardFactory(volunteer=volunteer, title="績優志工")
    pledge = PledgeFactory(donor=user, guest_email="", receipt_id_number="A123456789", amount=1200)
    donation_services._mark_paid(pledge, paid_at=timezone.now(), channel="credit")
    officer = officer_of(unit, name="承辦人乙")
    record_event(actor=officer, action=IDENTITY_REVEALED, target=volunteer, reason="辦理保險加保")
    return {"user": user, "volunteer": volunteer, "pledge": pledge, "officer": officer}


def test_the_json_download_holds_every_kind_of_record_about_the_person(client, person):
    client.force_login(person["user"])
    response = client.get(reverse("privacy:my_data_json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"][0]["email"] == person["user"].email
    assert data["volunteer"][0]["name"] == "林志明"
    assert data["volunteer"][0]["address"] == "北投區大業路1號"
    assert data["memberships"][0]["unit"] == "北投志工隊"
    assert data["service_records"][0]["activity"] == "陪伴長者"
    assert data["trainings"][0]["title"] == "志願服務基礎訓練"
    assert data["insurance"][0]["policy_number"] == "P-777"
    assert data["awards"][0]["title"] == "績優志工"
    assert data["pledges"][0]["amount"] == 1200
    assert data["receipts"][0]["number"] == person["pledge"].receipts.get().number
    reveal = data["identity_reveals"][0]
    assert "承辦人乙" in reveal["by"] and reveal["reason"] == "辦理保險加保" and reveal["at"]


def test_the_download_lists_the_company_rosters_that_hold_the_persons_details(client, person):
    """A coordinator typed the person's ID number, birth date and phone into the company's roster:
    the person sees it (masked ID), and only their own row."""
    from tests.corporate.factories import company_team, member_of_team

    team = company_team(name="好日子科技股份有限公司")
    row = member_of_team(team, name="林志明", number="A123456789")
    row.phone = "0911-222-333"
    row.save()
    member_of_team(team, name="別人")
    client.force_login(person["user"])
    data = json.loads(client.get(reverse("privacy:my_data_json")).content)
    (listed,) = data["corporate_rosters"]
    assert listed["company"] == "好日子科技股份有限公司" and listed["phone"] == "0911-222-333"
    assert listed["identity_number"] == "A12****789"
    assert "別人" not in json.dumps(data, ensure_ascii=False)


def test_the_download_shows_the_id_number_masked_never_whole(client, person):
    client.force_login(person["user"])
    body = client.get(reverse("privacy:my_data_json")).content.decode()
    assert "A123456789" not in body
    assert "A12****789" in body


def test_the_readable_page_lists_the_same_records_with_roc_dates(client, person):
    client.force_login(person["user"])
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert "陪伴長者" in page and "P-777" in page and "辦理保險加保" in page
    assert "115.03.02" in page  # 2026-03-02 in the ROC calendar
    assert "A123456789" not in page


def test_the_pdf_is_a_real_pdf(client, person):
    client.force_login(person["user"])
    response = client.get(reverse("privacy:my_data_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_person_gets_only_their_own_data(client, person, make_user):
    stranger = make_user(Role.DONOR)
    client.force_login(stranger)
    body = client.get(reverse("privacy:my_data_json")).content.decode()
    assert "林志明" not in body
    assert person["pledge"].merchant_trade_no not in body
    assert json.loads(body)["pledges"] == []


def test_a_donor_without_a_volunteer_record_gets_the_donor_sections(client, make_user):
    donor = make_user(Role.DONOR)
    PledgeFactory(donor=donor, guest_email="", donor_name="陳大華")
    client.force_login(donor)
    data = json.loads(client.get(reverse("privacy:my_data_json")).content)
    assert "volunteer" not in data
    assert data["pledges"][0]["donor_name"] == "陳大華"


def test_the_download_is_for_signed_in_people_only(client):
    response = client.get(reverse("privacy:my_data_json"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_page_reads_in_english_too(client, person):
    client.force_login(person["user"])
    client.get("/language/", {"language": "en"})
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert "Service record" in page and "Download JSON" in page
    assert "Who saw your whole ID number, and when" in page


def test_the_social_welfare_bureau_is_always_a_recipient_of_corrections(person):
    from privacy.selectors import correction_recipients

    bureau = OrganisationFactory(kind=OrganisationKind.SOCIAL_WELFARE_BUREAU)
    recipients = correction_recipients(person["user"])
    assert recipients[-1] == bureau
    assert person["volunteer"].memberships.get().unit.organisation in recipients
