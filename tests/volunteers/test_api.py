"""The units' API: tokens, a unit's own volunteers only, bulk records all or nothing, the schema."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from core.seeding import fake_national_id
from tests.volunteers.factories import (
    MembershipFactory,
    ServiceRecordFactory,
    UnitFactory,
    member_of,
    officer_of,
)
from volunteers.api.auth import issue_token
from volunteers.models import Membership, ServiceRecord, ServiceRecordSource, Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return UnitFactory(approved=True)


@pytest.fixture
def officer(unit):
    return officer_of(unit)


@pytest.fixture
def api(unit, officer):
    _, key = issue_token(unit=unit, actor=officer, name="院內系統")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def yesterday():
    return (timezone.localdate() - datetime.timedelta(days=1)).isoformat()


NEW_PERSON = {
    "name": "林志明",
    "identity_kind": "national_id",
    "birth_date": "1958-03-02",
    "sex": "M",
    "main_domain": "health",
    "phone": "0912345678",
}


def test_no_token_is_401():
    response = APIClient().post(reverse("api-service-records-bulk"), {"records": []}, format="json")
    assert response.status_code == 401


def test_a_revoked_token_is_401(unit, officer):
    token, key = issue_token(unit=unit, actor=officer, name="x")
    token.revoked_at = timezone.now()
    token.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(reverse("api-volunteer", kwargs={"pk": member_of(unit).pk})).status_code == 401


def test_a_wrong_token_is_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token gdv_nonsense")
    assert client.get(reverse("api-volunteer", kwargs={"pk": 1})).status_code == 401


def test_a_donor_session_is_403(make_user):
    client = APIClient()
    client.force_login(make_user("donor"))
    assert client.get(reverse("api-volunteer", kwargs={"pk": 1})).status_code == 403


def test_an_officers_session_works(unit, officer):
    client = APIClient()
    client.force_login(officer)
    v = member_of(unit)
    assert client.get(reverse("api-volunteer", kwargs={"pk": v.pk})).json()["id"] == v.pk


def test_another_units_volunteer_is_404(api):
    stranger = member_of(UnitFactory(approved=True))
    assert api.get(reverse("api-volunteer", kwargs={"pk": stranger.pk})).status_code == 404
    assert api.get(reverse("api-volunteer-totals", kwargs={"pk": stranger.pk})).status_code == 404
    assert (
        api.patch(
            reverse("api-volunteer", kwargs={"pk": stranger.pk}), {"phone": "1"}, format="json"
        ).status_code
        == 404
    )


def test_create_then_update_by_id_number(api, unit):
    number = fake_national_id(7_700_001, sex="M")
    response = api.post(reverse("api-volunteers"), {**NEW_PERSON, "identity_number": number}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["masked_identity"] != number and "*" in body["masked_identity"]
    assert body["membership"]["main_domain"] == "health"
    response = api.post(
        reverse("api-volunteers"),
        {**NEW_PERSON, "identity_number": number, "phone": "0922000111"},
        format="json",
    )
    assert response.status_code == 200
    assert Volunteer.objects.get().phone == "0922000111"
    assert AuditEvent.objects.filter(action="volunteer.registered").exists()


def test_create_is_validated_like_the_web(api):
    response = api.post(
        reverse("api-volunteers"), {**NEW_PERSON, "identity_number": "A123456788"}, format="json"
    )
    assert response.status_code == 400
    assert "identity_number" in response.json()["errors"]
    assert not Volunteer.objects.exists()


def test_patch_updates_a_volunteer(api, unit):
    v = member_of(unit)
    response = api.patch(
        reverse("api-volunteer", kwargs={"pk": v.pk}), {"address": "臺北市信義區"}, format="json"
    )
    assert response.status_code == 200 and response.json()["address"] == "臺北市信義區"


def test_bulk_records_are_created(api, unit):
    a, b = member_of(unit), member_of(unit)
    payload = {
        "records": [
            {"volunteer_id": a.pk, "served_on": yesterday(), "hours": "2.5", "domain": "health"},
            {
                "identity_number": b.identity_number,
                "served_on": yesterday(),
                "hours": "1",
                "activity": "導引",
            },
        ]
    }
    response = api.post(reverse("api-service-records-bulk"), payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json() == {"created": 2}
    assert ServiceRecord.objects.filter(source=ServiceRecordSource.API).count() == 2


def test_bulk_is_all_or_nothing_with_per_item_errors(api, unit):
    a = member_of(unit)
    stranger = member_of(UnitFactory(approved=True))
    payload = {
        "records": [
            {"volunteer_id": a.pk, "served_on": yesterday(), "hours": "2"},
            {"volunteer_id": a.pk, "served_on": yesterday(), "hours": "1.1"},
            {"volunteer_id": stranger.pk, "served_on": yesterday(), "hours": "1"},
            {"volunteer_id": a.pk, "served_on": "not-a-date", "hours": "1"},
        ]
    }
    response = api.post(reverse("api-service-records-bulk"), payload, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["index"], e["field"]) for e in errors] == [(1, "hours"), (2, "volunteer_id"), (3, "served_on")]
    assert not ServiceRecord.objects.exists()


def test_bulk_obeys_the_24_hour_rule_across_units(api, unit):
    other = UnitFactory(approved=True)
    a = member_of(unit)
    MembershipFactory(unit=other, volunteer=a)
    day = timezone.localdate() - datetime.timedelta(days=1)
    ServiceRecordFactory(volunteer=a, unit=other, served_on=day, hours=Decimal("23.75"))
    ok = {"records": [{"volunteer_id": a.pk, "served_on": day.isoformat(), "hours": "0.25"}]}
    assert api.post(reverse("api-service-records-bulk"), ok, format="json").status_code == 201
    response = api.post(reverse("api-service-records-bulk"), ok, format="json")
    assert response.status_code == 400 and "24 小時" in response.json()["errors"][0]["message"]


def test_bulk_refused_when_the_unit_has_no_approved_plan():
    unit = UnitFactory()
    officer = officer_of(unit)
    _, key = issue_token(unit=unit, actor=officer, name="x")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    a = member_of(unit)
    response = client.post(
        reverse("api-service-records-bulk"),
        {"records": [{"volunteer_id": a.pk, "served_on": yesterday(), "hours": "1"}]},
        format="json",
    )
    assert response.status_code == 400 and "核備" in str(response.json())


def test_totals_are_the_units_own_hours_not_another_units(api, unit):
    a = member_of(unit)
    ServiceRecordFactory(volunteer=a, unit=unit, hours=Decimal("3"))
    ServiceRecordFactory(
        volunteer=a, unit=UnitFactory(approved=True, organisation__name="別的志工隊"), hours=Decimal("1.5")
    )
    body = api.get(reverse("api-volunteer-totals", kwargs={"pk": a.pk})).json()
    assert Decimal(body["total_hours"]) == Decimal("3")
    assert list(body["hours_by_unit"]) == [unit.name]
    assert "別的志工隊" not in str(body)


def test_a_former_member_is_still_visible_to_the_unit(api, unit):
    a = member_of(unit)
    Membership.objects.filter(volunteer=a).update(left_on=timezone.localdate())
    assert api.get(reverse("api-volunteer", kwargs={"pk": a.pk})).status_code == 200


def test_the_api_is_throttled(api, unit, settings):
    from volunteers.api.views import UnitRateThrottle

    settings.VOLUNTEER_API_THROTTLE_RATE = "2/min"
    UnitRateThrottle.THROTTLE_RATES = {}
    v = member_of(unit)
    responses = [api.get(reverse("api-volunteer", kwargs={"pk": v.pk})) for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 429]
    # Retry-After: the rest of the minute's window, by the limits' clock (stopped at hh:mm:30).
    assert responses[-1]["Retry-After"] == "30"


def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    text = (tmp_path / "schema.yml").read_text()
    assert "/api/v1/service-records/bulk/" in text and "/api/v1/volunteers/{id}/totals/" in text
