"""Every door to a staff session needs the second factor, and every door is rate-limited.

The second factor is checked on the session (accounts/middleware.py), not at a door: a session that
some door opened with a password alone is not a staff session anywhere.
"""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.urls import reverse

from accounts.roles import STAFF_ROLES, Role
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["/admin/", "/audit/", "/donations/staff/", "/donations/staff/tax-export/114.csv"]


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def superuser(make_user):
    return make_user(Role.SITE_ADMIN, is_staff=True, is_superuser=True)


def test_admin_login_sends_people_to_the_portals_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=%2Fadmin%2F" in response["Location"]


def test_admin_login_form_does_not_sign_in_with_a_password_alone(client, make_user):
    admin = superuser(make_user)
    client.post("/admin/login/?next=/admin/", {"username": admin.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_admin_signs_in_through_allauth_with_the_code_and_reaches_the_admin(client, make_user):
    admin = superuser(make_user)
    response = client.post(
        reverse("account_login") + "?next=/admin/", {"login": admin.email, "password": PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302  # not yet
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(admin.totp_secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
def test_a_session_opened_by_password_alone_is_not_a_staff_session(client, make_user, role):
    """`client.login` checks the password and nothing else: what a door that skips allauth's MFA
    stage would give. The portal signs such a session out instead of trusting it."""
    staff = make_user(role)
    assert client.login(email=staff.email, password=PASSWORD)
    response = client.get("/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_the_site_admin_signed_in_by_password_alone_reaches_no_staff_page(client, make_user):
    admin = superuser(make_user)
    for page in STAFF_PAGES:
        assert client.login(email=admin.email, password=PASSWORD)
        response = client.get(page)
        assert response.status_code == 302, page
        assert not response["Location"].startswith(page), page
        assert "_auth_user_id" not in client.session


def test_staff_without_an_authenticator_who_sets_one_up_passes_the_second_factor(client, make_user):
    staff = make_user(Role.SW_REVIEWER, totp=False)
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert client.get("/audit/")["Location"] == reverse("mfa_activate_totp")
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    # The same session goes on: entering the new authenticator's code was the second factor.
    assert client.get(reverse("donations:staff_list")).status_code == 200


def test_a_password_reset_does_not_open_a_staff_session(client, make_user, settings):
    settings.ACCOUNT_LOGIN_ON_PASSWORD_RESET = True  # even if someone turns this on
    staff = make_user(Role.SW_REVIEWER)
    client.post(reverse("account_reset_password"), {"email": staff.email})
    link = re.search(r"http://[^\s]+/accounts/password/reset/key/[^\s]+", mail.outbox[-1].body)[0]
    response = client.get(link.split("testserver", 1)[-1], follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    client.post(form_url, {"password1": "a-new-Passw0rd-long", "password2": "a-new-Passw0rd-long"})
    response = client.get(reverse("donations:staff_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_wrong_passwords_lock_the_account_out_even_for_the_right_one_next(client, make_user):
    """allauth's limit (5 failures per account in 5 minutes) holds on the only login form; the
    admin's door leads to it."""
    admin = superuser(make_user)
    for _ in range(30):
        client.post(reverse("account_login"), {"login": admin.email, "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": admin.email, "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert not str(response.get("Location", "")).endswith(reverse("mfa_authenticate"))


def test_wrong_authenticator_codes_are_limited_too(client, make_user):
    staff = make_user(Role.SW_REVIEWER)
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    for _ in range(20):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    client.post(reverse("mfa_authenticate"), {"code": current_code(staff.totp_secret)})
    assert "_auth_user_id" not in client.session
