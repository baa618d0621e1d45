"""Signing in: e-mail login for everyone, TOTP two-factor required for every staff role."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from accounts.roles import STAFF_ROLES, Role
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def login(client, user, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def test_donor_signs_in_with_email_and_password(client, make_user):
    donor = make_user(Role.DONOR)
    response = login(client, donor)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(donor.pk)


def test_wrong_password_is_refused_and_does_not_sign_in(client, make_user):
    donor = make_user(Role.DONOR)
    response = login(client, donor, "wrong-password")
    assert response.status_code == 200
    assert signed_in_user_id(client) is None


def test_staff_with_totp_must_enter_a_code_before_being_signed_in(client, make_user):
    caseworker = make_user(Role.CASEWORKER)
    response = login(client, caseworker)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # Not signed in yet: a staff page still sends them to the login page.
    assert signed_in_user_id(client) is None

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert signed_in_user_id(client) is None

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(caseworker.totp_secret)})
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(caseworker.pk)


@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
def test_staff_without_2fa_is_sent_to_set_it_up_before_anything_else(client, make_user, role):
    staff = make_user(role, totp=False)
    login(client, staff)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # Other staff pages are refused the same way.
    assert client.get(reverse("audit:list"))["Location"] == reverse("mfa_activate_totp")


def test_staff_member_can_set_up_totp_and_then_use_the_portal(client, make_user):
    staff = make_user(Role.UNIT_OFFICER, totp=False)
    login(client, staff)
    # allauth asks for the password again before adding an authenticator.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_after_setting_up_2fa_the_recovery_codes_page_gives_the_next_step(client, make_user):
    staff = make_user(Role.UNIT_OFFICER, totp=False)
    login(client, staff)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_view_recovery_codes")
    html = response.content.decode()
    assert "下一步" in html and "復原碼" in html
    # Where the officer's work starts: the pages of their role menu, and the home page.
    from core.context_processors import portal

    request = response.wsgi_request
    request.user = staff
    for item in portal(request)["role_menu"]:
        assert f'href="{item["url"]}"' in html
    assert f'href="{reverse("core:home")}"' in html


@pytest.mark.parametrize("role", [Role.DONOR, Role.VOLUNTEER])
def test_donors_and_volunteers_are_not_forced_into_2fa(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("core:home")).status_code == 200


def test_signup_creates_a_donor_who_must_verify_their_email(client, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new.donor@example.tw",
            "password1": "a-long-pass-phrase-1",
            "password2": "a-long-pass-phrase-1",
            "name": "林新",
            "donor_kind": "person",
        },
    )
    assert response.status_code == 302
    from accounts.models import User

    user = User.objects.get(email="new.donor@example.tw")
    assert user.role == Role.DONOR
    assert not user.emailaddress_set.get().verified
    assert len(mailoutbox) == 1
    assert "new.donor@example.tw" in mailoutbox[0].to


def test_repeated_failed_logins_are_rate_limited(client, make_user):
    donor = make_user(Role.DONOR)
    for _ in range(5):
        login(client, donor, "wrong-password")
    # allauth's default: 5 failures per 5 minutes for the same account; the right password is now refused too.
    response = login(client, donor)
    assert response.status_code in (200, 429)
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize(
    ("language", "step"), [("zh-hant", "兩步驟驗證"), ("en", "Two-Factor Authentication")]
)
def test_the_code_step_has_a_title_of_its_own_not_the_sign_in_pages(
    client, make_user, settings, language, step
):
    """Two pages titled "Sign In" in a row leave a screen-reader user unsure the password was taken."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    login(client, make_user(Role.CASEWORKER))
    html = client.get(reverse("mfa_authenticate")).content.decode()
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.split("|")[0].strip() == step, title
    assert f"<h1>{step}</h1>" in " ".join(html.split()).replace("<h1> ", "<h1>").replace(" </h1>", "</h1>")
