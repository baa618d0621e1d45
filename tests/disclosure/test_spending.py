"""Spending: who records, who approves, the designated balance, attachments, sensitive categories."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.roles import OrganisationKind, Role
from audit.models import AuditEvent
from disclosure import services
from disclosure.builder import build_content
from disclosure.models import Spending, SpendingStatus
from donations import services as donation_services
from tests.accounts.factories import OrganisationFactory
from tests.donations.factories import PledgeFactory
from tests.programs.factories import ProgramFactory, category

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(program):
    pledge = PledgeFactory(program=program, amount=10000)
    donation_services._mark_paid(pledge, paid_at=timezone.now(), channel="credit")
    return program


def record(actor, program, amount=3000, **extra):
    return services.record_spending(
        actor=actor,
        program=program,
        spent_on=timezone.localdate(),
        item="購置餐盒",
        amount=amount,
        payee_type="vendor",
        voucher_number="V-001",
        **extra,
    )


def test_the_bureau_records_and_the_social_welfare_bureau_approves(funded, caseworker_of_program, reviewer):
    spending = record(caseworker_of_program, funded)
    assert spending.status == SpendingStatus.RECORDED
    services.approve_spending(spending=spending, actor=reviewer)
    spending.refresh_from_db()
    assert (spending.status, spending.decided_by) == (SpendingStatus.APPROVED, reviewer)
    assert list(
        AuditEvent.objects.filter(target_type="disclosure.spending")
        .values_list("action", flat=True)
        .order_by("id")
    ) == [
        "spending.recorded",
        "spending.approved",
    ]


def test_spending_beyond_the_designated_balance_is_refused_with_the_balance_shown(
    funded, caseworker_of_program
):
    record(caseworker_of_program, funded, amount=6000)
    with pytest.raises(ValidationError, match=r"可用餘額 NT\$4,000"):
        record(caseworker_of_program, funded, amount=4001)
    assert Spending.objects.count() == 1


@pytest.mark.parametrize("role", [Role.DONOR, Role.SW_REVIEWER, Role.COMMITTEE, Role.UNIT_OFFICER])
def test_only_the_programs_bureau_records_spending(funded, make_user, role):
    with pytest.raises(PermissionDenied):
        record(make_user(role), funded)


def test_another_bureaus_caseworker_cannot_record(funded, make_user):
    other = make_user(Role.CASEWORKER, organisation=OrganisationFactory(kind=OrganisationKind.BUREAU))
    with pytest.raises(PermissionDenied):
        record(other, funded)


def test_whoever_records_cannot_approve(funded, make_user):
    reviewer_who_records = make_user(Role.SW_REVIEWER, organisation=funded.bureau)
    reviewer_who_records.role = Role.CASEWORKER
    reviewer_who_records.save()
    spending = record(reviewer_who_records, funded)
    reviewer_who_records.role = Role.SW_REVIEWER
    reviewer_who_records.save()
    with pytest.raises(PermissionDenied, match="登錄支出的人"):
        services.approve_spending(spending=spending, actor=reviewer_who_records)


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.COMMITTEE, Role.SITE_ADMIN])
def test_only_social_welfare_reviewers_approve(funded, caseworker_of_program, make_user, role):
    spending = record(caseworker_of_program, funded)
    with pytest.raises(PermissionDenied):
        services.approve_spending(spending=spending, actor=make_user(role))


def test_returning_needs_a_reason_and_frees_the_balance(funded, caseworker_of_program, reviewer):
    spending = record(caseworker_of_program, funded, amount=9000)
    with pytest.raises(ValidationError):
        services.return_spending(spending=spending, actor=reviewer, reason="")
    services.return_spending(spending=spending, actor=reviewer, reason="憑證不全")
    assert services.designated_balance(funded) == 10000


def test_attachments_are_judged_by_their_content(funded, caseworker_of_program):
    fake = SimpleUploadedFile("voucher.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf")
    with pytest.raises(ValidationError, match="PDF、PNG、JPEG 或 GIF"):
        record(caseworker_of_program, funded, attachment=fake)
    from tests.security.test_uploads import PDF

    real = SimpleUploadedFile("voucher.bin", PDF, content_type="application/octet-stream")
    spending = record(caseworker_of_program, funded, attachment=real)
    assert spending.attachment.name.endswith(".pdf")


def test_sensitive_programs_publish_no_identifying_details(make_user, reviewer):
    program = ProgramFactory(published=True, category=category("domestic-violence"), money_target=5000)
    pledge = PledgeFactory(program=program, amount=5000)
    donation_services._mark_paid(pledge, paid_at=timezone.now(), channel="credit")
    caseworker = make_user(Role.CASEWORKER, organisation=program.bureau)
    spending = services.record_spending(
        actor=caseworker,
        program=program,
        spent_on=timezone.localdate(),
        item="王小美 安置租金",
        amount=2000,
        payee_type="beneficiary",
        voucher_number="DV-9",
    )
    services.approve_spending(spending=spending, actor=reviewer)
    today = timezone.localdate()
    content = build_content(today.year, today.month)
    line = content["spending"][0]
    assert line["item"] == "（敏感類別，細節不公開）"
    assert line["voucher"] == ""
    assert "王小美" not in str(content)


def test_the_spending_pages_by_role(client, funded, caseworker_of_program, reviewer, make_user):
    client.force_login(caseworker_of_program)
    response = client.post(
        reverse("disclosure:spending_new"),
        {
            "program": funded.pk,
            "spent_on": timezone.localdate().isoformat(),
            "item": "餐盒",
            "amount": 99999,
            "payee_type": "vendor",
            "voucher_number": "V",
        },
    )
    assert "可用餘額 NT$10,000" in response.content.decode()
    assert not Spending.objects.exists()
    client.force_login(make_user(Role.DONOR))
    assert client.get(reverse("disclosure:spending_new")).status_code == 403
    assert client.get(reverse("disclosure:spending_queue")).status_code == 403
