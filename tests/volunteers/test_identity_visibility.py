"""Masked by default, revealed on purpose; each unit sees what concerns its own membership.

One person serves in two units (a hospital and a library). Each unit's officer sees the ID number
masked in lists and pages and can show it whole on the person's page with a reason (audited, and
the person sees who did). Each unit sees its own hours, training and insurance only; the 24-hour
rule still counts the other unit's hours but says only that the day is full.
"""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import Role
from audit.models import AuditEvent
from tests.accounts.factories import make_user
from tests.volunteers.factories import (
    InsurancePolicyFactory,
    ServiceRecordFactory,
    TrainingFactory,
    UnitFactory,
    member_of,
    officer_of,
)
from volunteers.api.auth import issue_token
from volunteers.hours import services as hours
from volunteers.models import Membership
from volunteers.registry.identity import IDENTITY_REVEALED

pytestmark = pytest.mark.django_db

WHOLE = "A123456789"
MASKED = "A12****789"


@pytest.fixture
def world():
    hospital = UnitFactory(approved=True, organisation__name="醫院志工隊")
    library = UnitFactory(approved=True, organisation__name="圖書館志工隊")
    person = member_of(hospital, name="歐陽娜娜", identity_number=WHOLE)
    Membership.objects.create(
        unit=library, volunteer=person, joined_on=datetime.date(2020, 1, 1), main_domain="education"
    )
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ServiceRecordFactory(
        volunteer=person, unit=hospital, hours=Decimal("20"), served_on=yesterday, activity="病房關懷"
    )
    ServiceRecordFactory(
        volunteer=person,
        unit=library,
        hours=Decimal("3"),
        served_on=yesterday,
        activity="書庫整理",
        domain="education",
    )
    TrainingFactory(volunteer=person, recorded_by_unit=hospital, title="醫院感染控制課程", provider="醫院")
    TrainingFactory(
        volunteer=person,
        recorded_by_unit=library,
        kind="special",
        domain="education",
        title="圖書分類特殊訓練",
        provider="圖書館",
        certificate_number="圖訓字第99號",
    )
    InsurancePolicyFactory(unit=hospital, insurer="醫院產險", policy_number="HOSP-1").insured.add(person)
    return {
        "hospital": hospital,
        "library": library,
        "person": person,
        "hospital_officer": officer_of(hospital),
        "library_officer": officer_of(library),
        "day": yesterday,
    }


# --- 3. Masked by default ----------------------------------------------------------------------------


def test_the_units_volunteer_list_and_search_show_the_id_number_masked(client, world):
    client.force_login(world["hospital_officer"])
    url = reverse("volunteers:volunteer_list", args=[world["hospital"].pk])
    for query in ("", "?q=歐陽"):
        page = client.get(url + query).content.decode()
        assert MASKED in page and WHOLE not in page


def test_the_persons_page_and_resume_show_it_masked_to_staff(client, world):
    client.force_login(world["hospital_officer"])
    person = world["person"]
    for name in ("volunteers:volunteer_detail", "volunteers:resume"):
        page = client.get(reverse(name, args=[person.pk])).content.decode()
        assert MASKED in page and WHOLE not in page


def test_the_unit_export_masks_and_the_national_system_export_carries_it_whole(client, world):
    import io
    import zipfile

    client.force_login(world["hospital_officer"])
    book = client.get(reverse("volunteers:export_xlsx")).content
    with zipfile.ZipFile(io.BytesIO(book)) as z:
        text = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    assert WHOLE not in text
    national = client.get(reverse("volunteers:export_national", args=["volunteers"])).content
    assert WHOLE in national.decode("utf-8-sig")


def test_the_insurance_enrolment_list_carries_it_whole_for_the_policys_unit(client, world):
    policy = world["person"].insurance_policies.get()
    client.force_login(world["hospital_officer"])
    assert WHOLE in client.get(reverse("volunteers:insurance_detail", args=[policy.pk])).content.decode()
    client.force_login(make_user(Role.CENTRE_STAFF))
    assert WHOLE not in client.get(reverse("volunteers:insurance_detail", args=[policy.pk])).content.decode()


def test_show_with_a_reason_reveals_the_number_and_is_audited_for_the_person_to_see(client, world):
    person, officer = world["person"], world["hospital_officer"]
    client.force_login(officer)
    response = client.post(
        reverse("volunteers:reveal_identity", args=[person.pk]), {"reason": "辦理保險加保"}
    )
    assert response.status_code == 200
    assert WHOLE in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    event = AuditEvent.objects.get(action=IDENTITY_REVEALED)
    assert (event.actor, event.target_id, event.reason) == (officer, str(person.pk), "辦理保險加保")
    assert event.organisation == world["hospital"].organisation
    assert WHOLE not in json.dumps(event.changes)
    # The person sees who looked, when and why.
    person.user = make_user(Role.VOLUNTEER)
    person.save()
    client.force_login(person.user)
    data = json.loads(client.get(reverse("privacy:my_data_json")).content)
    assert data["identity_reveals"][0]["reason"] == "辦理保險加保"
    assert officer.email in data["identity_reveals"][0]["by"]


def test_show_without_a_reason_reveals_nothing_and_records_nothing(client, world):
    client.force_login(world["hospital_officer"])
    response = client.post(reverse("volunteers:reveal_identity", args=[world["person"].pk]), {"reason": ""})
    assert response.status_code == 200
    assert WHOLE not in response.content.decode()
    assert not AuditEvent.objects.filter(action=IDENTITY_REVEALED).exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("hospital_officer", 200),
        (Role.CARD_REVIEWER, 200),
        (Role.SITE_ADMIN, 200),
        (Role.CENTRE_STAFF, 403),
        (Role.SW_REVIEWER, 403),
        (Role.CASEWORKER, 404),
        ("other_officer", 404),
        (Role.DONOR, 403),
        (Role.VOLUNTEER, 403),
        (Role.COMMITTEE, 403),
    ],
)
def test_who_may_show_the_whole_number(client, world, role, status):
    if role == "hospital_officer":
        user = world["hospital_officer"]
    elif role == "other_officer":
        user = officer_of(UnitFactory())
    else:
        user = make_user(role)
    client.force_login(user)
    response = client.post(
        reverse("volunteers:reveal_identity", args=[world["person"].pk]), {"reason": "核對"}
    )
    assert response.status_code == status
    assert (WHOLE in response.content.decode()) == (status == 200)
    assert AuditEvent.objects.filter(action=IDENTITY_REVEALED).count() == (1 if status == 200 else 0)


def test_anonymous_show_goes_to_login(client, world):
    response = client.post(reverse("volunteers:reveal_identity", args=[world["person"].pk]), {"reason": "x"})
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action=IDENTITY_REVEALED).exists()


# --- 2. Each unit sees its own membership --------------------------------------------------------


def test_a_unit_sees_its_own_hours_training_and_insurance_not_the_other_units(client, world):
    client.force_login(world["library_officer"])
    person = world["person"]
    for name in ("volunteers:volunteer_detail", "volunteers:resume"):
        page = client.get(reverse(name, args=[person.pk])).content.decode()
        assert "圖書分類特殊訓練" in page and "圖訓字第99號" in page  # its own, in detail
        assert "醫院感染控制課程" not in page and "醫院志工隊" not in page  # the hospital's, not at all
        assert "20.00" not in page and "23.00" not in page  # only the library's 3 hours
        assert "3.00" in page
        assert "HOSP-1" not in page and "醫院產險" not in page
        assert "未投保" in page and "已投保" not in page  # insured only through the hospital


def test_the_unit_where_the_person_is_insured_sees_them_insured(client, world):
    client.force_login(world["hospital_officer"])
    page = client.get(reverse("volunteers:volunteer_detail", args=[world["person"].pk])).content.decode()
    assert "已投保" in page and "書庫整理" not in page and "圖書分類特殊訓練" not in page
    roster = client.get(reverse("volunteers:volunteer_list", args=[world["hospital"].pk])).content.decode()
    assert "已投保" in roster


def test_the_insured_column_of_the_other_units_roster_says_not_insured(client, world):
    client.force_login(world["library_officer"])
    roster = client.get(reverse("volunteers:volunteer_list", args=[world["library"].pk])).content.decode()
    assert "未投保" in roster and "已投保" not in roster


def test_oversight_staff_and_the_person_see_the_whole_record(client, world):
    person = world["person"]
    client.force_login(make_user(Role.CENTRE_STAFF))
    page = client.get(reverse("volunteers:volunteer_detail", args=[person.pk])).content.decode()
    assert "醫院感染控制課程" in page and "圖書分類特殊訓練" in page and "23.00" in page
    person.user = make_user(Role.VOLUNTEER)
    person.save()
    client.force_login(person.user)
    page = client.get(reverse("volunteers:resume", args=[person.pk])).content.decode()
    assert "醫院志工隊" in page and "圖書館志工隊" in page and WHOLE in page  # their own number


def test_the_24_hour_rule_counts_the_other_units_hours_but_says_only_that_the_day_is_full(world):
    with pytest.raises(ValidationError) as exc:
        hours.record_service(
            unit=world["library"],
            actor=world["library_officer"],
            volunteer=world["person"],
            served_on=world["day"],
            hours=Decimal("2"),
            domain="education",
        )
    message = " ".join(exc.value.messages)
    assert "24 小時" in message
    assert "20" not in message.replace(f"{world['day']:%Y-%m-%d}", "") and "23" not in message


def test_the_units_api_gives_its_own_hours_only(world):
    _, key = issue_token(unit=world["library"], actor=world["library_officer"], name="系統")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    body = api.get(reverse("api-volunteer-totals", kwargs={"pk": world["person"].pk})).json()
    assert Decimal(body["total_hours"]) == Decimal("3")
    assert "醫院志工隊" not in json.dumps(body, ensure_ascii=False)
