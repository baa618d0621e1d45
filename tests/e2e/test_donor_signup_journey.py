"""A donor signs up through allauth's page, cannot sign in before verifying the address, opens the
verification link from the e-mail, confirms, and then signs in: a donor account (no staff role).
The sign-up, sign-in and confirmation pages pass axe-core at desktop and phone widths."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from tests.e2e.conftest import assert_accessible, assert_keyboard_operable

pytestmark = pytest.mark.django_db(transaction=True)
EMAIL = "new.donor@example.tw"
PASSWORD = "月光下有9隻貓在屋頂跳舞"


def sign_in_with_form(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("電子信箱").fill(EMAIL)
    page.get_by_label("密碼").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()


def test_a_donor_signs_up_verifies_the_address_and_signs_in(live_server, page, mailoutbox):
    page.goto(live_server.url + "/accounts/signup/")
    assert_accessible(page, label="sign-up page")
    assert_keyboard_operable(page, label="sign-up page")
    page.get_by_label("電子信箱").fill(EMAIL)
    page.get_by_label("密碼", exact=False).first.fill(PASSWORD)
    page.get_by_label("再次輸入密碼").fill(PASSWORD)
    page.get_by_label("姓名（公司或團體請填名稱）").fill("林新")  # receipts carry the donor's name
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert_accessible(page, label="verification sent page")

    user = User.objects.get(email=EMAIL)
    assert user.role == Role.DONOR
    assert not user.emailaddress_set.get(email=EMAIL).verified

    # Not yet verified: signing in only says a verification e-mail was sent.
    page.context.clear_cookies()
    sign_in_with_form(page, live_server)
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))

    # The e-mail carries the link; open it and confirm.
    assert mailoutbox, "no verification e-mail was sent"
    body = mailoutbox[-1].body
    assert EMAIL in mailoutbox[-1].to
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", body)
    assert link, body
    page.goto(live_server.url + urlsplit(link.group(0)).path)
    assert_accessible(page, label="confirm e-mail page")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert User.objects.get(email=EMAIL).emailaddress_set.get(email=EMAIL).verified

    # Now the password works and the donor's own page opens.
    page.context.clear_cookies()
    sign_in_with_form(page, live_server)
    page.goto(live_server.url + "/donations/")
    expect(page).to_have_url(re.compile(r"/donations/$"))
    expect(page.locator("details.role-menu summary")).to_be_visible()
