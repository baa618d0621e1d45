"""A correction request reaches the person's unit (or the bureau) as a task, which its staff handle."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import OrganisationKind, Role
from audit.models import AuditEvent
from privacy import services
from privacy.models import DataRequest, RequestStatus
from privacy.workflows import REQUEST_FLOW
from tests.accounts.factories import OrganisationFactory
from tests.volunteers.factories import UnitFactory, member_of, officer_of
from tests.workflow_helpers import assert_refused_in_chinese

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(make_user):
    unit = UnitFactory()
    other_unit = UnitFactory()
    user = make_user(Role.VOLUNTEER)
    volunteer = member_of(unit)
    volunteer.user = user
    volunteer.save()
    bureau = OrganisationFactory(kind=OrganisationKind.SOCIAL_WELFARE_BUREAU)
    return {
        "user": user,
        "volunteer": volunteer,
        "unit": unit,
        "officer": officer_of(unit),
        "other_officer": officer_of(other_unit),
        "bureau": bureau,
    }


def test_a_correction_request_reaches_the_unit_as_a_task_and_mails_its_staff(
    client, setting, django_capture_on_commit_callbacks
):
    client.force_login(setting["user"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("privacy:request_correction"),
            {"organisation": setting["unit"].organisation.pk, "message": "電話應為 0912-000-111"},
        )
    assert response.status_code == 302
    request = DataRequest.objects.get()
    assert request.organisation == setting["unit"].organisation
    assert request.volunteer == setting["volunteer"]
    assert setting["officer"].email in mail.outbox[0].to
    event = AuditEvent.objects.get(action="privacy.correction_requested")
    assert "0912" not in str(event.changes)  # the trail records the request, not its contents

    client.force_login(setting["officer"])
    queue = client.get(reverse("privacy:queue")).content.decode()
    assert f"#{request.pk}" in queue
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:request", args=[request.pk]), {"reply": "已更正電話"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE and request.handled_by == setting["officer"]
    assert mail.outbox[-1].to == [setting["user"].email]
    assert AuditEvent.objects.filter(action="privacy.request_handled", target_id=str(request.pk)).exists()


def test_a_donor_can_send_a_correction_to_the_bureau(client, setting, make_user):
    donor = make_user(Role.DONOR)
    reviewer = make_user(Role.SW_REVIEWER, organisation=setting["bureau"])
    client.force_login(donor)
    client.post(
        reverse("privacy:request_correction"), {"organisation": setting["bureau"].pk, "message": "收據地址"}
    )
    request = DataRequest.objects.get()
    assert request.organisation == setting["bureau"]
    client.force_login(reviewer)
    assert client.get(reverse("privacy:request", args=[request.pk])).status_code == 200


def test_a_request_cannot_be_sent_to_a_unit_the_person_does_not_serve(client, setting):
    other = UnitFactory()
    client.force_login(setting["user"])
    response = client.post(
        reverse("privacy:request_correction"), {"organisation": other.organisation.pk, "message": "x"}
    )
    assert response.status_code == 200
    assert "form" in response.context and response.context["form"].errors
    assert not DataRequest.objects.exists()


def test_a_person_keeps_at_most_three_open_requests_with_one_organisation(
    setting, django_capture_on_commit_callbacks
):
    """Each request e-mails the organisation's staff: the fourth open one is refused and mails
    nobody; once one is handled (audited in the unit's trail) another may be sent."""
    user, unit = setting["user"], setting["unit"]
    sent = [
        services.request_correction(user=user, organisation=unit.organisation, message=f"第 {n} 項有誤")
        for n in range(services.MAX_OPEN_CORRECTIONS)
    ]
    mail.outbox.clear()
    refused = pytest.raises(ValidationError, match="待處理的更正申請")
    with django_capture_on_commit_callbacks(execute=True), refused:
        services.request_correction(user=user, organisation=unit.organisation, message="再一次")
    assert mail.outbox == []
    # Another organisation's allowance is its own.
    services.request_correction(user=user, organisation=setting["bureau"], message="捐款資料有誤")
    services.handle_request(request=sent[0], actor=setting["officer"], reply="已更正")
    assert AuditEvent.objects.get(action="privacy.request_handled").organisation_id == unit.organisation_id
    services.request_correction(user=user, organisation=unit.organisation, message="再一次")


def test_an_empty_correction_is_refused_with_a_message(client, setting):
    client.force_login(setting["user"])
    response = client.post(
        reverse("privacy:request_correction"),
        {"organisation": setting["unit"].organisation.pk, "message": "  "},
    )
    assert response.status_code == 200
    assert not DataRequest.objects.exists()


def test_another_units_officer_cannot_see_or_handle_the_request(client, setting):
    request = DataRequest.objects.create(
        kind="correction", requester=setting["user"], organisation=setting["unit"].organisation, message="x"
    )
    client.force_login(setting["other_officer"])
    assert f"#{request.pk}" not in client.get(reverse("privacy:queue")).content.decode()
    assert client.post(reverse("privacy:request", args=[request.pk]), {"reply": "x"}).status_code == 404
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN


def test_a_handled_request_is_not_handled_twice(client, setting):
    request = DataRequest.objects.create(
        kind="correction", requester=setting["user"], organisation=setting["unit"].organisation, message="x"
    )
    client.force_login(setting["officer"])
    client.post(reverse("privacy:request", args=[request.pk]), {"reply": "第一次"})
    client.post(reverse("privacy:request", args=[request.pk]), {"reply": "第二次"})
    request.refresh_from_db()
    assert request.reply == "第一次"


def test_the_request_table_moves_an_open_request_once_and_refuses_a_second_handling(setting):
    assert REQUEST_FLOW.as_rows() == [("handle", [RequestStatus.OPEN], RequestStatus.DONE)]
    request = services.request_correction(
        user=setting["user"], organisation=setting["unit"].organisation, message="地址應為中正路 1 號"
    )
    services.handle_request(request=request, actor=setting["officer"], reply="已更正")
    event = AuditEvent.objects.get(action="privacy.request_handled")
    assert event.changes["status"] == [RequestStatus.OPEN, RequestStatus.DONE]
    assert_refused_in_chinese(
        lambda: services.handle_request(request=request, actor=setting["officer"], reply="再處理一次")
    )
    request.refresh_from_db()
    assert (request.status, request.reply) == (RequestStatus.DONE, "已更正")
