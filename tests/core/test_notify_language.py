"""Every e-mail speaks its recipient's language, whatever the language of the person whose action
sent it: accounts carry theirs, guests the one they gave in, plain addresses the portal's (zh-Hant).
E-mails are queued on commit: the tests run the commit callbacks and read Django's locmem outbox."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from accounts.roles import Role
from core.notify import by_language, send_notification
from donations import services as donation_services
from donations.models import Pledge
from opportunities import applications
from programs.closing import send_closing_reports
from programs.models import ProgramStatus
from tests.accounts.factories import make_user
from tests.donations.factories import PledgeFactory
from tests.opportunities.factories import citizen, identity, open_opportunity
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db

GIFT = {
    "amount": 500,
    "donor_kind": "person",
    "donor_name": "Jane Doe",
    "disclosure_mode": "full",
    "receipt_address": "臺北市信義區市府路1號",
    "channel": "credit",
}


@pytest.fixture
def program(db):
    return ProgramFactory(published=True, title="獨居長者送餐")


def _pay(pledge, capture):
    with capture(execute=True):
        donation_services._mark_paid(pledge, paid_at=timezone.now(), channel="credit")


def _mail_to(address):
    found = [m for m in mail.outbox if address in m.to]
    assert len(found) == 1, [(m.to, m.subject) for m in mail.outbox]
    return found[0]


def test_an_english_donor_gets_the_thanks_in_english_while_staff_work_in_chinese(
    program, django_capture_on_commit_callbacks
):
    donor = make_user(Role.DONOR, email="jane@example.org", language="en")
    pledge = PledgeFactory(program=program, amount=500, donor=donor, guest_email="")
    with translation.override("zh-hant"):
        _pay(pledge, django_capture_on_commit_callbacks)
    message = _mail_to("jane@example.org")
    assert message.subject == "[Goodday] Thank you for your gift"
    assert "Thank you for your gift of NT$500 (獨居長者送餐)." in message.body
    assert "Receipt number" in message.body
    assert "感謝" not in message.body


def test_a_chinese_donor_gets_the_thanks_in_chinese_while_staff_work_in_english(
    program, django_capture_on_commit_callbacks
):
    donor = make_user(Role.DONOR, email="mei@example.tw", language="zh-hant")
    pledge = PledgeFactory(program=program, amount=500, donor=donor, guest_email="")
    with translation.override("en"):
        _pay(pledge, django_capture_on_commit_callbacks)
    message = _mail_to("mei@example.tw")
    assert message.subject == "[好日子] 感謝您的捐款"
    assert "感謝您捐款 500 元（獨居長者送餐）。" in message.body
    assert "Thank you" not in message.body


def test_a_chinese_officer_gets_chinese_when_an_english_volunteer_applies(django_capture_on_commit_callbacks):
    opportunity = open_opportunity()
    volunteer = citizen(email="sam@example.org")
    User.objects.filter(pk=volunteer.pk).update(language="en")
    volunteer.refresh_from_db()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        applications.apply(
            opportunity=opportunity, user=volunteer, shifts=list(opportunity.shifts), **identity()
        )
    to_officer = _mail_to(opportunity.officer.email)
    assert to_officer.subject == "[好日子] 新的志工報名"
    assert f"「{opportunity.title}」有一位新的報名者" in to_officer.body
    assert "Hello" not in to_officer.body
    to_volunteer = _mail_to("sam@example.org")
    assert to_volunteer.subject == "[Goodday] Your volunteer application was received"
    assert to_volunteer.body.startswith("Hello,")
    assert "您已報名" not in to_volunteer.body


def test_a_guest_who_gave_in_english_gets_the_receipt_e_mail_in_english(
    client, program, django_capture_on_commit_callbacks
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("donations:give") + f"?program={program.pk}", {**GIFT, "guest_email": "guest@example.org"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    pledge = Pledge.objects.get(guest_email="guest@example.org")
    assert pledge.language == "en"
    with translation.override("zh-hant"):  # the gateway's callback, or staff, in Chinese
        _pay(pledge, django_capture_on_commit_callbacks)
    message = _mail_to("guest@example.org")
    assert message.subject == "[Goodday] Thank you for your gift"
    assert "This link is for you alone" in message.body
    assert "元" not in message.body


def test_a_guest_who_gave_in_chinese_gets_chinese_even_from_an_english_page(
    client, program, django_capture_on_commit_callbacks
):
    response = client.post(
        reverse("donations:give") + f"?program={program.pk}", {**GIFT, "guest_email": "lin@example.tw"}
    )
    assert response.status_code == 302
    pledge = Pledge.objects.get(guest_email="lin@example.tw")
    assert pledge.language == "zh-hant"
    with translation.override("en"):
        _pay(pledge, django_capture_on_commit_callbacks)
    assert _mail_to("lin@example.tw").subject == "[好日子] 感謝您的捐款"


def test_one_action_sends_one_rendering_per_language(program, django_capture_on_commit_callbacks):
    english = [make_user(Role.CASEWORKER, email=f"en{n}@example.org", language="en") for n in range(2)]
    chinese = make_user(Role.CASEWORKER, email="zh@example.tw", language="zh-hant")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        send_notification(
            [*english, chinese, ("guest@example.org", "en"), "plain@example.tw"],
            translation.gettext_lazy("您的捐贈意向已獲接受"),
            "programs/email/approved.txt",
            {"program": program},
        )
    assert len(mail.outbox) == 5  # one message per address, rendered once per language
    english_mails = [m for m in mail.outbox if m.subject == "[Goodday] Your offer of goods has been accepted"]
    assert sorted(m.to[0] for m in english_mails) == [
        "en0@example.org",
        "en1@example.org",
        "guest@example.org",
    ]
    assert all("has been approved by the Department of Social Welfare" in m.body for m in english_mails)
    chinese_mails = [m for m in mail.outbox if m.subject == "[好日子] 您的捐贈意向已獲接受"]
    assert sorted(m.to[0] for m in chinese_mails) == ["plain@example.tw", "zh@example.tw"]
    in_chinese = chinese_mails[0]
    assert "已經社會局核准" in in_chinese.body


def test_plain_addresses_keep_working_and_mean_the_portals_language(
    program, django_capture_on_commit_callbacks
):
    """The old call form (a list of addresses, a plain subject) still sends, in zh-Hant."""
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        send_notification(["old@example.tw"], "舊的主旨", "programs/email/approved.txt", {"program": program})
    (message,) = mail.outbox
    assert message.subject == "[好日子] 舊的主旨"
    assert "已經社會局核准" in message.body


def test_an_unknown_stored_language_falls_back_to_the_default(program, django_capture_on_commit_callbacks):
    donor = make_user(Role.DONOR, email="old@example.org")
    User.objects.filter(pk=donor.pk).update(language="fr")  # a language no longer offered
    donor.refresh_from_db()
    assert by_language([donor, ("guest@example.org", "xx"), ("nolang@example.org", "")]) == {
        "zh-hant": ["guest@example.org", "nolang@example.org", "old@example.org"]
    }
    pledge = PledgeFactory(program=program, amount=300, donor=donor, guest_email="")
    with translation.override("en"):
        _pay(pledge, django_capture_on_commit_callbacks)
    assert _mail_to("old@example.org").subject == "[好日子] 感謝您的捐款"


def test_an_address_listed_twice_gets_one_e_mail_in_the_first_language_given():
    assert by_language([("a@example.org", "en"), "a@example.org", ("a@example.org", "zh-hant")]) == {
        "en": ["a@example.org"]
    }


def test_the_closing_report_reaches_each_donor_in_their_own_language(
    program, django_capture_on_commit_callbacks
):
    account = make_user(Role.DONOR, email="ann@example.org", language="en")
    paid = [
        PledgeFactory(program=program, amount=1000, donor=account, guest_email=""),
        PledgeFactory(program=program, amount=800, donor=None, guest_email="wang@example.tw"),
        PledgeFactory(program=program, amount=600, donor=None, guest_email="bob@example.org", language="en"),
    ]
    for pledge in paid:
        donation_services._mark_paid(
            pledge, paid_at=timezone.now() - datetime.timedelta(days=3), channel="credit"
        )
    program.refresh_from_db()
    program.status = ProgramStatus.CLOSED
    program.closed_at = timezone.now()
    program.closing_report = "送出 300 份餐點。"
    program.save()
    mail.outbox.clear()
    with translation.override("zh-hant"), django_capture_on_commit_callbacks(execute=True):
        assert send_closing_reports(program.pk) == 3
    for address in ("ann@example.org", "bob@example.org"):
        message = _mail_to(address)
        assert message.subject == "[Goodday] Closing report: 獨居長者送餐"
        assert "Thank you for supporting “獨居長者送餐”" in message.body
        assert "・Money raised: NT$2,400" in message.body
    chinese = _mail_to("wang@example.tw")
    assert chinese.subject == "[好日子] 結案報告：獨居長者送餐"
    assert "謝謝您支持「獨居長者送餐」" in chinese.body


def test_recipients_of_one_e_mail_never_see_each_others_addresses(django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_notification(
            ["a@example.tw", "b@example.tw", ("c@example.tw", "en")],
            "通知",
            "corporate/email/coordinator_invited.txt",
            {"by": "王小明", "company": "好公司", "team": "好公司志工隊", "days": 7, "url": "/corporate/"},
        )
    assert sorted(message.to for message in mail.outbox) == [
        ["a@example.tw"],
        ["b@example.tw"],
        ["c@example.tw"],
    ]
    assert all(not message.cc and not message.bcc for message in mail.outbox)
