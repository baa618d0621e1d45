"""Volunteers: ID validation, one record per person across units, masking, and who may see or change them."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.roles import Role
from audit.models import AuditEvent
from core.crypto import lookup_hash
from core.seeding import fake_national_id
from core.validators import IdentityKind, mask_identity_number, validate_identity_number
from tests.accounts.factories import make_user
from tests.volunteers.factories import (
    UnitFactory,
    bureau_caseworker_of,
    centre_staff,
    member_of,
    officer_of,
)
from volunteers.models import Membership, Volunteer
from volunteers.registry import services

pytestmark = pytest.mark.django_db

PERSON = {
    "name": "歐陽娜娜",
    "identity_kind": IdentityKind.NATIONAL_ID,
    "identity_number": "A123456789",
    "birth_date": datetime.date(1955, 3, 30),
    "sex": "F",
    "main_domain": "social_welfare",
}


@pytest.fixture
def unit():
    return UnitFactory(approved=True)


@pytest.fixture
def officer(unit):
    return officer_of(unit)


# --- Validators and masking ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (IdentityKind.NATIONAL_ID, "A123456789"),
        (IdentityKind.NATIONAL_ID, " a123456789 "),
        (IdentityKind.RESIDENT_CERTIFICATE, "A800000014"),
        (IdentityKind.PASSPORT, "312345678"),
    ],
)
def test_valid_identity_numbers_pass_and_come_back_normalised(kind, value):
    assert validate_identity_number(kind, value) == value.strip().upper()


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (IdentityKind.NATIONAL_ID, "A123456788", "檢查碼"),
        (IdentityKind.NATIONAL_ID, "A323456789", "格式"),
        (IdentityKind.NATIONAL_ID, "1234567890", "格式"),
        (IdentityKind.RESIDENT_CERTIFICATE, "A123456789", "格式"),
        (IdentityKind.PASSPORT, "12", "護照"),
    ],
)
def test_bad_identity_numbers_are_refused_in_chinese_and_nothing_is_saved(
    unit, officer, kind, value, message
):
    with pytest.raises(ValidationError) as exc:
        services.register_volunteer(
            unit=unit, actor=officer, **{**PERSON, "identity_kind": kind, "identity_number": value}
        )
    assert message in " ".join(exc.value.message_dict["identity_number"])
    assert not Volunteer.objects.exists()


def test_masking_keeps_the_first_three_and_last_three():
    assert mask_identity_number("A123456789") == "A12****789"


def test_names_of_any_length_are_accepted(unit, officer):
    for n, name in enumerate(["丹", "歐陽娜娜", "瑪麗亞．桑托斯．德拉克魯茲"]):
        services.register_volunteer(
            unit=unit, actor=officer, **{**PERSON, "name": name, "identity_number": fake_national_id(700 + n)}
        )
    assert set(Volunteer.objects.values_list("name", flat=True)) == {
        "丹",
        "歐陽娜娜",
        "瑪麗亞．桑托斯．德拉克魯茲",
    }


# --- One person, many units ------------------------------------------------------------------------


def test_registering_the_same_person_from_two_units_gives_one_volunteer_with_two_memberships(unit, officer):
    first = services.register_volunteer(unit=unit, actor=officer, **PERSON)
    other = UnitFactory(approved=True)
    second = services.register_volunteer(
        unit=other,
        actor=officer_of(other),
        **{**PERSON, "identity_number": "a123456789", "phone": "0911000111"},
    )
    assert first.pk == second.pk
    assert Volunteer.objects.count() == 1
    assert set(Membership.objects.values_list("unit_id", flat=True)) == {unit.pk, other.pk}
    second.refresh_from_db()
    assert second.phone == "0911000111"  # only missing data is filled in


def test_registering_again_in_the_same_unit_adds_nothing(unit, officer):
    services.register_volunteer(unit=unit, actor=officer, **PERSON)
    services.register_volunteer(unit=unit, actor=officer, **PERSON)
    assert Membership.objects.count() == 1


def test_the_id_is_stored_encrypted_with_a_lookup_hash(unit, officer):
    volunteer = services.register_volunteer(unit=unit, actor=officer, **PERSON)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT identity_number, identity_hash FROM volunteers_volunteer WHERE id = %s", [volunteer.pk]
        )
        stored, digest = cursor.fetchone()
    assert "A123456789" not in stored
    assert digest == lookup_hash("A123456789")
    event = AuditEvent.objects.get(action="volunteer.registered")
    assert "A123456789" not in str(event.changes)


def test_only_an_officer_of_the_unit_may_register_volunteers(unit):
    for actor in (officer_of(UnitFactory()), centre_staff(), bureau_caseworker_of(unit)):
        with pytest.raises(PermissionDenied):
            services.register_volunteer(unit=unit, actor=actor, **PERSON)
    assert not Volunteer.objects.exists()


def test_update_volunteer_needs_a_unit_the_person_serves_in_and_is_audited(unit, officer):
    volunteer = member_of(unit)
    other = UnitFactory()
    with pytest.raises(PermissionDenied):
        services.update_volunteer(volunteer=volunteer, actor=officer_of(other), unit=other, phone="1")
    services.update_volunteer(volunteer=volunteer, actor=officer, unit=unit, phone="0922333444")
    volunteer.refresh_from_db()
    assert volunteer.phone == "0922333444"
    event = AuditEvent.objects.get(action="volunteer.edited")
    assert event.changes["phone"] == ["", "0922333444"]


def test_update_volunteer_refuses_an_id_that_belongs_to_someone_else(unit, officer):
    volunteer = member_of(unit)
    someone = member_of(unit)
    with pytest.raises(ValidationError):
        services.update_volunteer(
            volunteer=volunteer, actor=officer, unit=unit, identity_number=someone.identity_number
        )


def test_a_photo_must_really_be_an_image(unit, officer):
    fake = SimpleUploadedFile("me.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        services.register_volunteer(unit=unit, actor=officer, **PERSON, photo=fake)
    assert "photo" in exc.value.message_dict
    buf = io.BytesIO()
    Image.new("RGB", (40, 50), "red").save(buf, "PNG")
    good = SimpleUploadedFile("me.png", buf.getvalue(), content_type="image/png")
    volunteer = services.register_volunteer(unit=unit, actor=officer, **PERSON, photo=good)
    assert volunteer.photo.name.startswith("volunteers/photos/")


def test_leaving_a_unit_keeps_the_record(unit, officer):
    volunteer = member_of(unit)
    services.end_membership(volunteer=volunteer, actor=officer, unit=unit)
    assert Volunteer.objects.filter(pk=volunteer.pk).exists()
    assert Membership.objects.get(volunteer=volunteer).left_on is not None
    with pytest.raises(ValidationError):
        services.end_membership(volunteer=volunteer, actor=officer, unit=unit)


# --- Screens ----------------------------------------------------------------------------------


def test_officer_adds_a_volunteer_through_the_form(client, unit, officer):
    client.force_login(officer)
    data = {**PERSON, "birth_date": "1955-03-30"}
    response = client.post(reverse("volunteers:volunteer_add", args=[unit.pk]), data)
    volunteer = Volunteer.objects.get()
    assert response.url == reverse("volunteers:volunteer_detail", args=[volunteer.pk])


def test_a_bad_id_in_the_form_shows_the_message_and_saves_nothing(client, unit, officer):
    client.force_login(officer)
    response = client.post(
        reverse("volunteers:volunteer_add", args=[unit.pk]),
        {**PERSON, "identity_number": "A123456788", "birth_date": "1955-03-30"},
    )
    assert response.status_code == 200
    assert "檢查碼錯誤" in response.content.decode()
    assert not Volunteer.objects.exists()


def test_everybody_sees_the_id_masked_on_the_roster_and_the_page_the_unit_included(client, unit, officer):
    # The unit's officer too: the whole number only through the audited "show" (test_identity_visibility).
    volunteer = member_of(unit, identity_number="A123456789", identity_hash=lookup_hash("A123456789"))
    pages = [
        reverse("volunteers:volunteer_detail", args=[volunteer.pk]),
        reverse("volunteers:volunteer_list", args=[unit.pk]),
    ]
    # The competent bureau sees the unit's roster (not the people's own pages).
    for viewer, urls in (
        (officer, pages),
        (centre_staff(), pages),
        (make_user(Role.SW_REVIEWER), pages),
        (bureau_caseworker_of(unit), pages[1:]),
    ):
        client.force_login(viewer)
        for url in urls:
            body = client.get(url).content.decode()
            assert "A123456789" not in body
            assert "A12****789" in body


def test_the_public_never_sees_a_volunteer(client, unit):
    volunteer = member_of(unit, identity_number="A123456789", identity_hash=lookup_hash("A123456789"))
    for url in (
        reverse("volunteers:volunteer_detail", args=[volunteer.pk]),
        reverse("volunteers:volunteer_list", args=[unit.pk]),
        reverse("volunteers:resume", args=[volunteer.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url
    client.force_login(make_user(Role.DONOR))
    assert client.get(reverse("volunteers:volunteer_detail", args=[volunteer.pk])).status_code == 403
    assert client.get(reverse("volunteers:resume", args=[volunteer.pk])).status_code == 404


def test_another_units_officer_gets_404_on_a_volunteer_and_its_photo(client, unit):
    volunteer = member_of(unit)
    client.force_login(officer_of(UnitFactory()))
    for name in ("volunteer_detail", "volunteer_edit", "volunteer_photo", "training_add", "resume"):
        assert client.get(reverse(f"volunteers:{name}", args=[volunteer.pk])).status_code == 404, name
    assert client.get(reverse("volunteers:volunteer_list", args=[unit.pk])).status_code == 404
    assert client.get(reverse("volunteers:volunteer_add", args=[unit.pk])).status_code == 404


def test_volunteer_list_makes_a_bounded_number_of_queries(
    client, unit, officer, django_assert_max_num_queries
):
    for _ in range(30):
        member_of(unit)
    client.force_login(officer)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("volunteers:volunteer_list", args=[unit.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("volunteers/people/") >= 30


def test_unit_list_makes_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(15):
        member_of(UnitFactory(approved=True))
    client.force_login(centre_staff())
    with django_assert_max_num_queries(15):
        response = client.get(reverse("volunteers:unit_list"))
    assert response.status_code == 200
