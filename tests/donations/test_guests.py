"""Guests are served: a signed, unguessable, expiring link to their pledge and receipt in the
thank-you e-mail, and a progress subscription after a confirmation e-mail, with an unsubscribe
link in every update."""

import re
import time
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from donations import guest_links, services
from programs import services as program_services
from programs.models import EmailSubscription
from tests.donations.factories import PledgeFactory

pytestmark = pytest.mark.django_db


def pay(pledge, capture):
    with capture(execute=True):
        services._mark_paid(pledge, paid_at=timezone.now(), channel="credit")


def links(text):
    return re.findall(r"https?://\S+", text)


def test_the_thank_you_email_links_a_guest_to_their_pledge_and_receipt_from_any_browser(
    program, mailoutbox, django_capture_on_commit_callbacks
):
    pledge = PledgeFactory(program=program, amount=500, guest_email="guest@example.tw")
    pay(pledge, django_capture_on_commit_callbacks)
    body = mailoutbox[-1].body
    link = next(u for u in links(body) if "/donations/guest/" in u)
    fresh = Client()  # not the browser session that gave
    assert fresh.get(pledge.get_absolute_url()).status_code == 404
    response = fresh.get(urlsplit(link).path, follow=True)
    assert response.status_code == 200 and pledge.merchant_trade_no in response.content.decode()
    receipt = pledge.receipts.get()
    pdf = fresh.get(reverse("donations:receipt_pdf", args=[receipt.number]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_a_forged_or_expired_guest_link_shows_nothing(program, monkeypatch):
    pledge = PledgeFactory(program=program, guest_email="guest@example.tw")
    client = Client()
    forged = guest_links.token_for(pledge)[:-2] + "xx"
    assert client.get(reverse("donations:guest_access", args=[forged])).status_code == 404
    other_salt = signing.dumps({"t": pledge.merchant_trade_no}, compress=True)  # not made for this
    assert client.get(reverse("donations:guest_access", args=[other_salt])).status_code == 404
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - (guest_links.MAX_AGE_DAYS + 1) * 86400)
    old = guest_links.token_for(pledge)
    monkeypatch.setattr(signing.time, "time", real_time)
    assert client.get(reverse("donations:guest_access", args=[old])).status_code == 404
    assert client.get(pledge.get_absolute_url()).status_code == 404


def test_a_guest_subscribes_to_progress_only_after_confirming_and_every_update_can_stop_it(
    program, mailoutbox, make_user, django_capture_on_commit_callbacks
):
    pledge = PledgeFactory(program=program, guest_email="Guest@Example.tw", email_updates=True)
    pay(pledge, django_capture_on_commit_callbacks)
    confirm_mail = next(m for m in mailoutbox if "確認訂閱" in m.subject)
    subscription = EmailSubscription.objects.get()
    assert subscription.confirmed_at is None
    caseworker = make_user(Role.CASEWORKER, organisation=program.bureau)

    def post_update(title):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            program_services.post_update(
                program=program, actor=caseworker, title=title, body="…", posted_on=timezone.localdate()
            )
        return [m for m in mailoutbox if "guest@example.tw" in m.to]

    assert post_update("未確認前") == []  # nothing before the address is confirmed
    client = Client()
    confirm = next(u for u in links(confirm_mail.body) if "/subscriptions/confirm/" in u)
    path = urlsplit(confirm).path
    assert client.get(path).status_code == 200  # opening the link alone changes nothing
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    assert client.post(path).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None

    updates = post_update("第一批送達")
    assert len(updates) == 1
    stop = next(u for u in links(updates[0].body) if "/subscriptions/stop/" in u)
    assert client.post(urlsplit(stop).path).status_code == 200
    assert post_update("第二批送達") == []


def test_an_accounts_update_email_carries_an_unsubscribe_link_too(
    program, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    donor = make_user(Role.DONOR)
    program_services.subscribe_to_updates(user=donor, program=program, by_email=True)
    caseworker = make_user(Role.CASEWORKER, organisation=program.bureau)
    with django_capture_on_commit_callbacks(execute=True):
        program_services.post_update(
            program=program, actor=caseworker, title="進度", body="…", posted_on=timezone.localdate()
        )
    mail = next(m for m in mailoutbox if donor.email in m.to)
    assert "/programs/subscriptions/stop/" in mail.body
