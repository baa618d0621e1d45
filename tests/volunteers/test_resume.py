"""The volunteer's own service résumé (服務履歷): theirs only, with a real PDF."""

import datetime
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.crypto import lookup_hash
from tests.accounts.factories import make_user
from tests.volunteers.factories import (
    InsurancePolicyFactory,
    ServiceRecordFactory,
    TrainingFactory,
    UnitFactory,
    member_of,
    officer_of,
)
from volunteers.registry.selectors import resume_cards_section, volunteer_totals

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    """A volunteer with an account, two units, three years of service, training and insurance."""
    user = make_user(Role.VOLUNTEER)
    hospital = UnitFactory(approved=True, organisation__name="測試醫院志工隊", main_domain="health")
    library = UnitFactory(approved=True, organisation__name="測試圖書館志工隊", main_domain="education")
    volunteer = member_of(
        hospital,
        name="歐陽美玲",
        user=user,
        identity_number="A123456789",
        identity_hash=lookup_hash("A123456789"),
    )
    from tests.volunteers.factories import MembershipFactory

    MembershipFactory(unit=library, volunteer=volunteer, main_domain="education")
    for day, hours in (
        ((2022, 3, 1), "10"),
        ((2023, 3, 1), "20.5"),
        ((2024, 3, 1), "20"),
        ((2024, 3, 2), "10"),
    ):
        ServiceRecordFactory(
            volunteer=volunteer,
            unit=hospital,
            served_on=datetime.date(*day),
            hours=Decimal(hours),
            domain="health",
        )
    ServiceRecordFactory(
        volunteer=volunteer,
        unit=library,
        served_on=datetime.date(2024, 5, 1),
        hours=Decimal("4"),
        domain="education",
    )
    TrainingFactory(volunteer=volunteer, kind="special", domain="health", title="衛生保健類特殊訓練")
    InsurancePolicyFactory(unit=hospital).insured.add(volunteer)
    return volunteer


def test_volunteer_totals_add_up_by_year_unit_and_domain(person):
    totals = volunteer_totals(person)
    assert totals["total_hours"] == Decimal("64.5")
    assert totals["hours_by_year"] == {2022: Decimal("10"), 2023: Decimal("20.5"), 2024: Decimal("34")}
    assert totals["hours_by_unit"] == {"測試醫院志工隊": Decimal("60.5"), "測試圖書館志工隊": Decimal("4")}
    assert totals["hours_by_domain"] == {"衛生保健": Decimal("60.5"), "教育": Decimal("4")}
    assert totals["first_service"] == datetime.date(2022, 3, 1)
    assert totals["last_service"] == datetime.date(2024, 5, 1)


def test_a_volunteer_sees_their_own_resume_with_their_full_id(client, person):
    client.force_login(person.user)
    response = client.get(reverse("volunteers:my_resume"))
    assert response.url == reverse("volunteers:resume", args=[person.pk])
    body = client.get(response.url).content.decode()
    assert "歐陽美玲" in body and "A123456789" in body
    assert "衛生保健類特殊訓練" in body and "64.50" in body and "已投保" in body


def test_a_volunteer_gets_404_for_someone_elses_resume_and_pdf(client, person):
    other = member_of(UnitFactory())
    client.force_login(person.user)
    assert client.get(reverse("volunteers:resume", args=[other.pk])).status_code == 404
    assert client.get(reverse("volunteers:resume_pdf", args=[other.pk])).status_code == 404
    assert client.get(reverse("volunteers:volunteer_detail", args=[other.pk])).status_code == 403


def test_an_officer_of_another_unit_gets_404(client, person):
    client.force_login(officer_of(UnitFactory()))
    assert client.get(reverse("volunteers:resume", args=[person.pk])).status_code == 404


def test_the_resume_pdf_is_a_real_pdf_with_the_name_and_hours(client, person):
    client.force_login(person.user)
    response = client.get(reverse("volunteers:resume_pdf", args=[person.pk]))
    assert response["Content-Type"] == "application/pdf"
    data = response.content
    assert data.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    assert "歐陽美玲" in text
    assert "64.50" in text
    assert "測試圖書館志工隊" in text


def test_the_pdf_for_centre_staff_masks_the_id(client, person):
    client.force_login(make_user(Role.CENTRE_STAFF))
    data = client.get(reverse("volunteers:resume_pdf", args=[person.pk])).content
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    assert "A12****789" in text and "A123456789" not in text


def test_a_signed_in_person_without_a_record_is_sent_to_claim_it(client):
    client.force_login(make_user(Role.DONOR))
    assert client.get(reverse("volunteers:my_resume")).url == reverse("volunteers:claim")


def test_the_cards_hook_answers_whether_or_not_honorcards_exists(person):
    section = resume_cards_section(person)
    assert set(section) == {"available", "cards", "applications"}
    assert section["cards"] == [] and section["applications"] == []


def test_the_resume_lists_the_volunteers_honor_card_applications_when_the_app_exists(client):
    hc_services = pytest.importorskip("honorcards.services")
    from tests.honorcards.factories import eligible_volunteer, photo

    unit = UnitFactory(approved=True)
    officer = officer_of(unit)
    volunteer = eligible_volunteer(unit)
    user = make_user(Role.VOLUNTEER)
    volunteer.user = user
    volunteer.save()
    hc_services.submit_application(
        volunteer=volunteer, unit=unit, actor=officer, record_book_number="北市志字第1號", photo=photo()
    )
    section = resume_cards_section(volunteer)
    assert section["available"] and len(section["applications"]) == 1
    client.force_login(user)
    body = client.get(reverse("volunteers:resume", args=[volunteer.pk])).content.decode()
    assert "榮譽卡與申請" in body and "待志推中心初審" in body
