"""The gateway's notifications take the lean path (core/leanpath.py): no session, user or messages
middleware, yet the same answer, headers, audit rows, receipts and e-mail as the whole stack."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from donations.models import PaymentNotification, PledgeStatus, Receipt
from tests.donations.factories import PledgeFactory
from tests.donations.test_notifications import notify, paid_params

pytestmark = pytest.mark.django_db

LEAN = "core.leanpath.ServerToServerMiddleware"
# Differs on every request by design (ops.middleware).
PER_REQUEST = {"X-Request-ID"}
URL = "/payments/ecpay/notify/"


def lean(response) -> bool:
    """Answered by the lean path: the session middleware below it never saw the request."""
    return not hasattr(response.wsgi_request, "session")


def headers(response) -> dict:
    return {name: value for name, value in response.headers.items() if name not in PER_REQUEST}


def outcome(pledge) -> dict:
    pledge.refresh_from_db()
    return {
        "status": pledge.status,
        "receipts": Receipt.objects.filter(pledge=pledge).count(),
        "audit": sorted(AuditEvent.objects.filter(target_id=str(pledge.pk)).values_list("action", flat=True)),
        "logged": list(
            PaymentNotification.objects.filter(merchant_trade_no=pledge.merchant_trade_no).values_list(
                "verdict", flat=True
            )
        ),
    }


def test_a_paid_notification_on_the_lean_path_reads_no_session_and_records_as_the_whole_stack_does(
    program, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SECURE_HSTS_SECONDS = 3600
    by_stack, by_lean = PledgeFactory(program=program, amount=500), PledgeFactory(program=program, amount=500)
    stack_gateway, lean_gateway = Client(), Client()  # a client keeps the middleware it first loaded
    for gateway in (stack_gateway, lean_gateway):
        gateway.cookies[settings.SESSION_COOKIE_NAME] = "a-session-key-the-gateway-never-has"
    whole_stack = override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != LEAN])
    with whole_stack, django_capture_on_commit_callbacks(execute=True):
        whole = stack_gateway.post(URL, paid_params(by_stack), secure=True)
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        quick = lean_gateway.post(URL, paid_params(by_lean), secure=True)
    assert lean(quick) and not lean(whole)
    assert not [q["sql"] for q in queries if "django_session" in q["sql"]]
    assert (quick.status_code, quick.content) == (whole.status_code, whole.content) == (200, b"1|OK")
    assert headers(quick) == headers(whole)
    for name in ("Content-Security-Policy", "X-Frame-Options", "Strict-Transport-Security", "Cache-Control"):
        assert quick.has_header(name), name
    assert outcome(by_lean) == outcome(by_stack)
    assert outcome(by_lean)["status"] == PledgeStatus.PAID
    assert outcome(by_lean)["receipts"] == 1
    assert "pledge.paid" in outcome(by_lean)["audit"]
    assert sorted(len(mail.to) for mail in mailoutbox[-2:]) == [1, 1]  # each donor thanked once


def test_a_repeat_and_a_forgery_on_the_lean_path_are_answered_as_before(program):
    pledge = PledgeFactory(program=program, amount=500)
    params = paid_params(pledge)
    assert notify(Client(), params).content == b"1|OK"
    repeat = notify(Client(), params)
    assert lean(repeat) and repeat.content == b"1|OK"
    forged = notify(Client(), {**params, "TradeAmt": "5"})
    assert lean(forged) and forged.status_code == 400 and forged.content == b"0|CheckMacValue Error"
    assert outcome(pledge)["receipts"] == 1


def test_the_lean_path_refuses_nul_bytes_and_unknown_hosts_before_the_view(program):
    pledge = PledgeFactory(program=program, amount=500)
    nul = notify(Client(), {**paid_params(pledge), "RtnMsg": "x\x00y"})
    assert nul.status_code == 400 and lean(nul)
    stranger = Client().post(reverse("payments:ecpay_notify"), paid_params(pledge), HTTP_HOST="evil.example")
    assert stranger.status_code == 400 and lean(stranger)
    assert not PaymentNotification.objects.exists()
    assert outcome(pledge)["status"] == PledgeStatus.PENDING


def test_only_posts_to_marked_views_take_the_lean_path(client, program):
    assert client.get(reverse("payments:ecpay_notify")).status_code == 405
    give = Client(enforce_csrf_checks=True).post(reverse("donations:give"), {"program": program.pk})
    assert give.status_code == 403  # an ordinary form: the whole stack, CSRF included
    assert not lean(give)


def test_the_lean_path_sits_below_the_fast_path_and_above_sessions():
    stack = settings.MIDDLEWARE
    assert stack.index("core.fastpage.CachedPublicPageMiddleware") < stack.index(LEAN)
    assert stack.index(LEAN) < stack.index("django.contrib.sessions.middleware.SessionMiddleware")
