"""Giving end to end through the local sandbox gateway, receipts, refunds and who sees what."""

import re
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.roles import OrganisationKind, Role
from audit.models import AuditEvent
from donations import services
from donations.models import Pledge, PledgeStatus, Receipt, ReceiptStatus
from programs.models import Program
from tests.accounts.factories import OrganisationFactory
from tests.donations.factories import PledgeFactory
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db

GIFT = {
    "amount": 500,
    "donor_kind": "person",
    "donor_name": "王小明",
    "disclosure_mode": "full",
    "receipt_id_number": "A123456789",
    "receipt_address": "臺北市信義區市府路1號",
}


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def give_through_sandbox(client, program, channel, actions):
    response = client.post(reverse("donations:give") + f"?program={program.pk}", {**GIFT, "channel": channel})
    assert response.status_code == 302, response.content.decode()[:3000]
    checkout = client.get(response["Location"])
    html = checkout.content.decode()
    assert 'action="/payments/sandbox/"' in html
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    assert fields["ChoosePayment"] == {"credit": "Credit", "atm": "ATM"}[channel]
    assert client.post(reverse("payments:sandbox"), fields).status_code == 200
    for action in actions:
        client.post(
            reverse("payments:sandbox_act"), {"MerchantTradeNo": fields["MerchantTradeNo"], "action": action}
        )
    return Pledge.objects.get(merchant_trade_no=fields["MerchantTradeNo"])


def test_a_donor_gives_500_by_card_and_by_atm_voucher(client, donor, program, settings):
    settings.ECPAY_SANDBOX = True
    client.force_login(donor)
    by_card = give_through_sandbox(client, program, "credit", ["pay"])
    assert by_card.status == PledgeStatus.PAID
    by_atm = give_through_sandbox(client, program, "atm", ["voucher"])
    assert by_atm.status == PledgeStatus.AWAITING_PAYMENT
    assert by_atm.voucher["BankCode"] == "812"
    dashboard = client.get(reverse("donations:dashboard")).content.decode()
    assert by_card.merchant_trade_no in dashboard and by_atm.merchant_trade_no in dashboard
    assert "待繳費" in dashboard
    client.post(
        reverse("payments:sandbox_act"), {"MerchantTradeNo": by_atm.merchant_trade_no, "action": "pay"}
    )
    by_atm.refresh_from_db()
    assert by_atm.status == PledgeStatus.PAID
    assert Program.objects.get(pk=program.pk).money_raised == 1000
    receipt = Receipt.objects.get(pledge=by_card)
    pdf = client.get(reverse("donations:receipt_pdf", args=[receipt.number]))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    # Real glyphs with their Unicode mapping: the Chinese text can be read back from the PDF.
    assert "捐款收據" in text
    assert "新臺幣伍佰元整" in text
    assert "A12****789" in text and "A123456789" not in text


def test_the_sandbox_refuses_a_tampered_checkout_form(client, donor, program, settings):
    settings.ECPAY_SANDBOX = True
    pledge = PledgeFactory(program=program)
    from donations import ecpay

    params = ecpay.sign(
        {
            "MerchantID": "3002607",
            "MerchantTradeNo": pledge.merchant_trade_no,
            "TotalAmount": "500",
            "ChoosePayment": "Credit",
        }
    )
    params["TotalAmount"] = "1"
    assert client.post(reverse("payments:sandbox"), params).status_code == 400


def test_the_sandbox_is_off_in_production(client, settings):
    settings.ECPAY_SANDBOX = False
    assert client.post(reverse("payments:sandbox"), {}).status_code == 404


def test_a_guest_gives_with_an_email_and_sees_only_their_own_pledge(client, program, settings):
    settings.ECPAY_SANDBOX = True
    response = client.post(
        reverse("donations:give") + f"?program={program.pk}",
        {**GIFT, "channel": "credit", "guest_email": "g@example.tw"},
    )
    pledge = Pledge.objects.get()
    assert pledge.guest_email == "g@example.tw"
    assert client.get(response["Location"]).status_code == 200
    other = PledgeFactory(program=program)
    assert client.get(reverse("donations:pledge", args=[other.merchant_trade_no])).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount": 50}, "大於或等於 100"),
        ({"receipt_id_number": "A123456788"}, "身分證字號"),
        ({"donor_name": ""}, "此為必需欄位"),
        ({"disclosure_mode": "display_name", "display_name": ""}, "請填寫顯示名稱"),
        ({"donor_kind": "company", "receipt_id_number": "12345678"}, "統一編號"),
    ],
)
def test_bad_gifts_are_refused_with_a_message_and_nothing_saved(client, donor, program, overrides, message):
    client.force_login(donor)
    response = client.post(
        reverse("donations:give") + f"?program={program.pk}", {**GIFT, "channel": "credit", **overrides}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Pledge.objects.exists()


def test_a_company_gift_takes_its_tax_id_typed_in_full_width_and_keeps_it_in_ascii(client, donor, program):
    client.force_login(donor)
    client.post(
        reverse("donations:give") + f"?program={program.pk}",
        {**GIFT, "channel": "credit", "donor_kind": "company", "receipt_id_number": "０４５９５２５７"},
    )
    assert Pledge.objects.get().receipt_id_number == "04595257"


def test_refund_voids_the_receipt_and_lowers_the_progress(program, reviewer, make_user):
    pledge = PledgeFactory(program=program, amount=600)
    services._mark_paid(pledge, paid_at=pledge.created_at, channel="credit")
    with pytest.raises(PermissionDenied):
        services.refund_pledge(pledge=pledge, actor=make_user(Role.CASEWORKER), reason="x")
    with pytest.raises(ValidationError, match="退款理由"):
        services.refund_pledge(pledge=pledge, actor=reviewer, reason=" ")
    services.refund_pledge(pledge=pledge, actor=reviewer, reason="捐款人重複捐款")
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.REFUNDED
    assert Receipt.objects.get(pledge=pledge).status == ReceiptStatus.VOID
    assert Program.objects.get(pk=program.pk).money_raised == 0
    assert AuditEvent.objects.filter(action="pledge.refunded", reason="捐款人重複捐款").exists()


def test_a_correction_reissues_the_receipt_linked_to_the_old_one(program, reviewer):
    pledge = PledgeFactory(program=program)
    services._mark_paid(pledge, paid_at=pledge.created_at, channel="credit")
    old = Receipt.objects.get(pledge=pledge)
    new = services.correct_receipt(
        pledge=pledge,
        actor=reviewer,
        receipt_name="王大明",
        receipt_id_number="A123456789",
        reason="抬頭錯字",
    )
    old.refresh_from_db()
    assert old.status == ReceiptStatus.VOID
    assert new.replaces == old
    assert new.receipt_name == "王大明"
    assert new.receipt_id_masked == "A12****789"
    assert int(new.number.split("-")[1]) == int(old.number.split("-")[1]) + 1


def test_receipt_numbers_are_sequential_per_roc_year(program):
    numbers = []
    for _ in range(3):
        pledge = PledgeFactory(program=program)
        services._mark_paid(pledge, paid_at=pledge.created_at, channel="credit")
        numbers.append(Receipt.objects.get(pledge=pledge).number)
    assert [int(n.split("-")[1]) for n in numbers] == [1, 2, 3]


def test_id_numbers_are_encrypted_at_rest(program):
    from django.db import connection

    pledge = PledgeFactory(program=program, receipt_id_number="A123456789")
    with connection.cursor() as cursor:
        cursor.execute("SELECT receipt_id_number FROM donations_pledge WHERE id = %s", [pledge.pk])
        stored = cursor.fetchone()[0]
    assert "A123456789" not in stored
    assert Pledge.objects.get(pk=pledge.pk).receipt_id_number == "A123456789"


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("owner", 200),
        ("other_donor", 404),
        ("bureau_caseworker", 200),
        ("other_caseworker", 404),
        ("committee", 200),
        ("anonymous", 404),
    ],
)
def test_who_may_see_a_gift_and_its_receipt(client, make_user, program, donor, who, sees):
    pledge = PledgeFactory(program=program, donor=donor, guest_email="")
    services._mark_paid(pledge, paid_at=pledge.created_at, channel="credit")
    receipt = Receipt.objects.get(pledge=pledge)
    users = {
        "owner": donor,
        "other_donor": make_user(Role.DONOR),
        "bureau_caseworker": make_user(Role.CASEWORKER, organisation=program.bureau),
        "other_caseworker": make_user(
            Role.CASEWORKER, organisation=OrganisationFactory(kind=OrganisationKind.BUREAU)
        ),
        "committee": make_user(Role.COMMITTEE),
        "anonymous": None,
    }
    if users[who]:
        client.force_login(users[who])
    assert client.get(reverse("donations:pledge", args=[pledge.merchant_trade_no])).status_code == sees
    assert client.get(reverse("donations:receipt_pdf", args=[receipt.number])).status_code == sees


def test_staff_lists_are_scoped_to_the_bureau(client, make_user, program):
    mine = PledgeFactory(program=program, donor_name="本局捐款人")
    other_program = ProgramFactory(published=True)
    PledgeFactory(program=other_program, donor_name="他局捐款人")
    client.force_login(make_user(Role.CASEWORKER, organisation=program.bureau))
    html = client.get(reverse("donations:staff_list")).content.decode()
    assert mine.donor_name in html and "他局捐款人" not in html
    client.force_login(make_user(Role.COMMITTEE))
    html = client.get(reverse("donations:staff_list")).content.decode()
    assert "本局捐款人" in html and "他局捐款人" in html
    client.force_login(make_user(Role.DONOR))
    assert client.get(reverse("donations:staff_list")).status_code == 403
