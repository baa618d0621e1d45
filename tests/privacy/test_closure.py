"""Closing one's account: what no law requires keeping goes; paid gifts and receipts stay (10 years)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from donations import services as donation_services
from donations.models import PledgeStatus
from privacy import services
from privacy.models import DataRequest, RequestKind
from privacy.retention import ANONYMISED
from tests.accounts.factories import PASSWORD
from tests.donations.factories import PledgeFactory
from tests.volunteers.factories import ServiceRecordFactory, UnitFactory, member_of, officer_of

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_a_donor_closes_the_account_and_the_receipts_stay(client, make_user):
    donor = make_user(Role.DONOR, name="陳大華", phone="0912-345-678")
    paid = PledgeFactory(donor=donor, guest_email="", receipt_id_number="A123456789", receipt_name="陳大華")
    donation_services._mark_paid(paid, paid_at=timezone.now(), channel="credit")
    unpaid = PledgeFactory(donor=donor, guest_email="", receipt_name="陳大華", receipt_address="信義路")
    old_email = donor.email
    client.force_login(donor)
    response = client.post(reverse("privacy:close_account"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302

    donor.refresh_from_db()
    assert not donor.is_active and not donor.has_usable_password()
    assert donor.email.endswith("@closed.invalid") and donor.phone == "" and "陳大華" not in donor.name
    paid.refresh_from_db()
    assert paid.status == PledgeStatus.PAID
    assert paid.receipt_name == "陳大華" and paid.receipt_id_number == "A123456789"  # Accounting Act
    assert paid.receipts.get().receipt_name == "陳大華"
    unpaid.refresh_from_db()
    assert unpaid.receipt_name == ANONYMISED and unpaid.receipt_address == ""
    assert AuditEvent.objects.filter(action="privacy.account_closed", target_id=str(donor.pk)).exists()
    # Signed out, and the old password no longer works.
    assert client.get(reverse("privacy:my_data")).status_code == 302
    assert not client.login(email=old_email, password=PASSWORD)


def test_a_wrong_password_closes_nothing(client, make_user):
    donor = make_user(Role.DONOR)
    client.force_login(donor)
    response = client.post(reverse("privacy:close_account"), {"password": "wrong", "confirm": "on"})
    assert response.status_code == 200
    donor.refresh_from_db()
    assert donor.is_active


def test_the_closing_form_is_no_way_to_guess_the_password(client, make_user):
    """Five tries an hour (a session left open on a shared computer): then even the right password
    is refused until the window passes, and nothing is closed."""
    donor = make_user(Role.DONOR)
    client.force_login(donor)
    url = reverse("privacy:close_account")
    for n in range(services.CLOSE_PASSWORD_TRIES_PER_HOUR):
        response = client.post(url, {"password": f"guess-{n}", "confirm": "on"})
        assert "密碼不正確" in response.content.decode()
    response = client.post(url, {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 200 and "密碼嘗試次數過多" in response.content.decode()
    donor.refresh_from_db()
    assert donor.is_active
    # Another person's allowance is their own.
    other = make_user(Role.DONOR)
    client.force_login(other)
    assert client.post(url, {"password": PASSWORD, "confirm": "on"}).status_code == 302


def test_a_companys_coordinator_hands_it_on_before_closing_and_the_last_one_cannot_close(client, make_user):
    """Closing one's account as a coordinator: the main contact passes to another coordinator;
    the company's last coordinator is asked to add another first (nothing closed)."""
    from corporate import coordinators
    from tests.corporate.factories import add_coordinator, company_team

    team = company_team()
    first = team.coordinator
    client.force_login(first)
    response = client.post(reverse("privacy:close_account"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 200 and "唯一的聯絡窗口" in response.content.decode()
    first.refresh_from_db()
    assert first.is_active and first.organisation_id == team.organisation_id

    second = make_user(Role.DONOR, email="second-coordinator@example.org")
    add_coordinator(team, second.email)
    response = client.post(reverse("privacy:close_account"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    first.refresh_from_db()
    team.refresh_from_db()
    assert not first.is_active and first.organisation_id is None
    assert team.coordinator_id == second.pk
    assert [u.pk for u in coordinators.coordinators_of(team)] == [second.pk]


def test_an_active_monthly_gift_must_be_stopped_first(client, make_user):
    donor = make_user(Role.DONOR)
    donation_services.start_monthly_gift(pledge=PledgeFactory(donor=donor, guest_email=""))
    client.force_login(donor)
    response = client.post(reverse("privacy:close_account"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 200
    assert "定期定額" in response.content.decode()
    donor.refresh_from_db()
    assert donor.is_active


def test_a_volunteer_who_serves_nowhere_is_anonymised_at_once(make_user):
    user = make_user(Role.VOLUNTEER)
    unit = UnitFactory()
    volunteer = member_of(unit, name="林志明", phone="0912", address="北投區")
    volunteer.memberships.update(left_on=timezone.localdate())
    volunteer.user = user
    volunteer.save()
    record = ServiceRecordFactory(volunteer=volunteer, unit=unit)
    services.close_account(user=user)
    volunteer.refresh_from_db()
    assert volunteer.name == ANONYMISED and volunteer.identity_number == "" and volunteer.phone == ""
    assert volunteer.birth_date.month == 1 and volunteer.birth_date.day == 1
    assert volunteer.identity_hash.startswith("anonymised:")
    record.refresh_from_db()  # the hours stay, as numbers for the statistics
    assert record.volunteer == volunteer


def test_a_volunteer_still_in_a_unit_gives_the_unit_a_task(make_user):
    user = make_user(Role.VOLUNTEER)
    unit = UnitFactory()
    officer = officer_of(unit)
    volunteer = member_of(unit, name="林志明", phone="0912")
    volunteer.user = user
    volunteer.save()
    services.close_account(user=user)
    volunteer.refresh_from_db()
    assert volunteer.name == "林志明" and volunteer.user is None  # the unit's roster keeps them
    task = DataRequest.objects.get(kind=RequestKind.ACCOUNT_CLOSED)
    assert task.organisation == unit.organisation and task.volunteer == volunteer
    from privacy.permissions import can_handle_request

    assert can_handle_request(officer, task)


def test_staff_cannot_close_their_own_account_here(client, make_user):
    caseworker = make_user(Role.CASEWORKER)
    client.force_login(caseworker)
    assert (
        client.post(reverse("privacy:close_account"), {"password": PASSWORD, "confirm": "on"}).status_code
        == 403
    )
    caseworker.refresh_from_db()
    assert caseworker.is_active
