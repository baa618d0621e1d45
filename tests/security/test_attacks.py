"""Attacks tried and refused: script injection shown back on public pages, CSRF, guessing ids."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from donations import services as donation_services
from programs.models import ProgramUpdate
from tests.donations.factories import PledgeFactory
from tests.programs.factories import GoodsNeedFactory, ProgramFactory

pytestmark = pytest.mark.django_db
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SHORT = "<script>alert(1)</script>"  # for fields of 50 characters or fewer


def test_script_in_every_public_text_is_shown_escaped(client, make_user):
    program = ProgramFactory(
        published=True,
        title=f"方案{SCRIPT}",
        summary=SCRIPT,
        description=SCRIPT,
        place=SCRIPT,
        beneficiaries=SCRIPT,
    )
    GoodsNeedFactory(program=program, item=SCRIPT, unit="<b>包</b>")
    ProgramUpdate.objects.create(
        program=program, posted_on=timezone.localdate(), title=SCRIPT, body=SCRIPT, posted_by=make_user()
    )
    pledge = PledgeFactory(
        program=program, disclosure_mode="display_name", display_name=SHORT, donor_name=SCRIPT
    )
    donation_services._mark_paid(pledge, paid_at=timezone.now(), channel="credit")
    today = timezone.localdate()
    # the month in progress is shown provisional (never built as a version)
    for url in (
        reverse("programs:list"),
        reverse("programs:detail", args=[program.pk]),
        reverse("disclosure:month", args=[today.year, today.month]),
    ):
        html = client.get(url).content.decode()
        # Structured data (schema.org JSON-LD) carries the text as JSON with every "<" written
        # \u003C: inert for the browser, so it is checked on its own and left out of the rest.
        structured = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
        assert all("<" not in block for block in structured), url
        html = re.sub(r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S)
        assert "<script>alert" not in html, url
        assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", ""), url
        assert "&lt;script&gt;" in html, url


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        (
            "donations:give",
            {
                "amount": 500,
                "channel": "credit",
                "donor_kind": "person",
                "donor_name": "x",
                "disclosure_mode": "full",
                "guest_email": "a@b.tw",
            },
        ),
        ("programs:make_free_offer", {"kind": "goods", "item": "x", "quantity": 1, "unit": "包"}),
        ("programs:create", {}),
    ],
)
def test_forms_refuse_posts_without_a_csrf_token(make_user, url_name, data):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(make_user(Role.CASEWORKER))
    assert csrf_client.post(reverse(url_name), data).status_code == 403


def test_guessing_another_donors_pledge_or_receipt_gives_404(client, make_user):
    owner, stranger = make_user(), make_user()
    pledge = PledgeFactory(donor=owner, guest_email="")
    donation_services._mark_paid(pledge, paid_at=timezone.now(), channel="credit")
    client.force_login(stranger)
    assert client.get(reverse("donations:pledge", args=[pledge.merchant_trade_no])).status_code == 404
    assert (
        client.get(reverse("donations:receipt_pdf", args=[pledge.receipts.get().number])).status_code == 404
    )
    assert client.get(reverse("donations:checkout", args=[pledge.merchant_trade_no])).status_code == 404


def test_staff_pages_send_staff_without_2fa_to_set_it_up(client, make_user):
    client.force_login(make_user(Role.SW_REVIEWER, totp=False))
    assert client.get(reverse("donations:offline_gift"))["Location"] == reverse("mfa_activate_totp")


def test_the_admin_cannot_move_a_match_or_a_large_event_plan_around_its_workflow(rf, make_user):
    """A status changed in the admin would skip the workflow table, the named reviewer and the
    audit trail: the newer apps' statuses are read-only there, like the opportunities'."""
    from django.contrib import admin

    from corporate.models import TeamMatch
    from largeevents.models import LargeEventPlan
    from opportunities.models import Application, Opportunity

    request = rf.get("/admin/")
    request.user = make_user(Role.SITE_ADMIN, is_staff=True, is_superuser=True)
    for model in (TeamMatch, LargeEventPlan, Opportunity, Application):
        model_admin = admin.site._registry[model]
        assert "status" in model_admin.get_readonly_fields(request), model.__name__
