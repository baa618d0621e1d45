"""Each person's language is remembered on their account (their e-mails are written in it): set at
sign-up from the page's language, followed when they use the switch signed in, editable in the profile."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role

pytestmark = pytest.mark.django_db

SIGNUP = {
    "password1": "a-long-pass-phrase-1",
    "password2": "a-long-pass-phrase-1",
    "name": "Jane Doe",
    "donor_kind": "person",
}


def test_signing_up_on_an_english_page_remembers_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": "jane@example.org"})
    assert response.status_code == 302
    assert User.objects.get(email="jane@example.org").language == "en"


def test_signing_up_on_a_chinese_page_remembers_chinese(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": "mei@example.tw"})
    assert response.status_code == 302
    assert User.objects.get(email="mei@example.tw").language == "zh-hant"


def test_a_signed_in_person_switching_language_is_remembered(client, make_user):
    donor = make_user(Role.DONOR)
    assert donor.language == "zh-hant"
    client.force_login(donor)
    client.get(reverse("core:switch_language"), {"language": "en", "next": "/"})
    donor.refresh_from_db()
    assert donor.language == "en"
    client.get(reverse("core:switch_language"), {"language": "zh-hant"})
    donor.refresh_from_db()
    assert donor.language == "zh-hant"


def test_another_site_cannot_change_the_language_of_someones_e_mails(client, make_user):
    """The switch is a GET: a link or redirect from another site (the browser says cross-site)
    changes the page's cookie, not the account's e-mail language; our own switch (same-origin) or
    a typed address (none) does."""
    donor = make_user(Role.DONOR)
    client.force_login(donor)
    switch = reverse("core:switch_language")
    response = client.get(switch, {"language": "en"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    client.get(switch, {"language": "en"}, headers={"Sec-Fetch-Site": "same-site"})
    donor.refresh_from_db()
    assert donor.language == "zh-hant"
    client.get(switch, {"language": "en"}, headers={"Sec-Fetch-Site": "same-origin"})
    donor.refresh_from_db()
    assert donor.language == "en"
    client.get(switch, {"language": "zh-hant"}, headers={"Sec-Fetch-Site": "none"})
    donor.refresh_from_db()
    assert donor.language == "zh-hant"


def test_an_unknown_language_from_the_switch_changes_nothing(client, make_user):
    donor = make_user(Role.DONOR, language="en")
    client.force_login(donor)
    client.get(reverse("core:switch_language"), {"language": "xx"})
    donor.refresh_from_db()
    assert donor.language == "en"


def test_a_visitor_switching_language_needs_no_account(client):
    response = client.get(reverse("core:switch_language"), {"language": "en"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_profile_sets_the_language_of_e_mails_and_of_the_pages(client, make_user):
    donor = make_user(Role.DONOR, name="王小明")
    client.force_login(donor)
    assert 'name="language"' in client.get(reverse("profile")).content.decode()
    response = client.post(reverse("profile"), {"name": "王小明", "donor_kind": "person", "language": "en"})
    assert response.status_code == 302
    donor.refresh_from_db()
    assert donor.language == "en"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_profile_refuses_an_unknown_language_and_keeps_the_old_one(client, make_user):
    donor = make_user(Role.DONOR, name="王小明")
    client.force_login(donor)
    response = client.post(reverse("profile"), {"name": "王小明", "donor_kind": "person", "language": "fr"})
    assert response.status_code == 200
    assert "fr" not in dict(settings.LANGUAGES)
    donor.refresh_from_db()
    assert donor.language == "zh-hant"


def test_the_address_confirmation_after_an_english_sign_up_is_in_english(client, mailoutbox):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(reverse("account_signup"), {**SIGNUP, "email": "jane@example.org"})
    (message,) = mailoutbox
    assert message.subject.startswith("[Goodday] ")
    assert "Please Confirm Your Email Address" in message.subject
    assert "好日子" not in message.body


def test_a_password_reset_asked_from_a_chinese_page_reaches_an_english_account_in_english(
    client, make_user, mailoutbox
):
    donor = make_user(Role.DONOR, email="jane@example.org", language="en")
    client.post(reverse("account_reset_password"), {"email": donor.email})
    (message,) = mailoutbox
    assert message.subject == "[Goodday] Password Reset Email"
