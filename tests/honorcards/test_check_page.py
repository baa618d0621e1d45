"""The public check page behind the QR code, the signed token, the public key and the API."""

import datetime

import pytest
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from honorcards import services, signing
from honorcards.signing import _b64d, _b64e
from tests.honorcards.factories import World, eligible_volunteer
from tests.volunteers.factories import UnitFactory, VolunteerFactory, officer_of
from volunteers.api.auth import issue_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


@pytest.fixture
def card(world):
    return world.issue()


def test_the_page_shows_name_photo_expiry_and_status_only(client, card):
    response = client.get(card.verify_path)
    html = response.content.decode()
    assert response.status_code == 200
    assert card.holder_name in html and "有效" in html
    from core.roc import to_roc

    assert to_roc(card.expires_on) in html
    assert reverse("honorcards:verify_photo", args=[card.token]) in html
    volunteer = card.volunteer
    assert volunteer.identity_number not in html and volunteer.identity_number[-4:] not in html
    assert to_roc(volunteer.birth_date) not in html and volunteer.birth_date.isoformat() not in html
    assert card.number not in html
    assert response["X-Robots-Tag"] == "noindex"


def test_the_photo_is_served_for_a_valid_token(client, card):
    response = client.get(reverse("honorcards:verify_photo", args=[card.token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("image/")


@pytest.mark.parametrize("state", ["expired", "revoked", "replaced"])
def test_the_page_says_when_a_card_no_longer_counts(client, world, card, state):
    if state == "expired":
        card.expires_on = datetime.date.today() - datetime.timedelta(days=1)
        card.token = signing.make_token(card.number, card.expires_on, card.nonce)
        card.save()
        expected = "已過期"
    elif state == "revoked":
        services.revoke_card(card=card, actor=world.reviewer, reason="冒用")
        expected = "已註銷"
    else:
        services.reissue_card(card=card, actor=world.reviewer, reason="更正姓名")
        expected = "已換發"
    html = client.get(card.verify_path).content.decode()
    assert expected in html


def test_a_tampered_token_gives_404(client, card):
    payload, signature = card.token.split(".")
    text = _b64d(payload).decode()
    forged = _b64e(text.replace(card.expires_on.isoformat(), "2099-12-31").encode()) + "." + signature
    assert client.get(reverse("honorcards:verify", args=[forged])).status_code == 404
    flipped = card.token[:-3] + ("AAA" if not card.token.endswith("AAA") else "BBB")
    assert client.get(reverse("honorcards:verify", args=[flipped])).status_code == 404


def test_a_genuine_signature_for_another_nonce_or_number_gives_404(client, card):
    other_nonce = signing.make_token(card.number, card.expires_on, "0" * 32)
    assert client.get(reverse("honorcards:verify", args=[other_nonce])).status_code == 404
    other_number = signing.make_token("11599999", card.expires_on, card.nonce)
    assert client.get(reverse("honorcards:verify", args=[other_number])).status_code == 404


def test_a_forged_code_says_the_card_failed_the_check_in_the_visitors_language(client, card):
    """Not the site's "page not found": the person at the venue is told the code is not a valid card,
    in a page with the portal's header, still answered 404 and never cached, the token not echoed."""
    flipped = card.token[:-3] + ("AAA" if not card.token.endswith("AAA") else "BBB")
    response = client.get(reverse("honorcards:verify", args=[flipped]))
    html = response.content.decode()
    assert response.status_code == 404 and response["Cache-Control"] == "no-store"
    assert "查無此卡：此查驗碼無法驗證" in html and "找不到這個頁面" not in html
    assert flipped not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("honorcards:verify", args=[flipped])).content.decode()
    assert "No such card: this code cannot be verified" in html and '<html lang="en">' in html


@pytest.mark.parametrize("token", ["11500001", "abc", "a.b", "x" * 150])
def test_anything_else_gives_404(client, card, token):
    assert client.get(reverse("honorcards:verify", args=[token])).status_code == 404
    assert client.get(reverse("honorcards:verify_photo", args=[token])).status_code == 404


def test_the_token_is_unguessable_and_verifiable_offline_with_the_published_key(client, card):
    assert len(card.nonce) == 32  # 128 random bits
    pem = client.get(reverse("honorcards:public_key")).content
    key = serialization.load_pem_public_key(pem)
    payload, signature = card.token.split(".")
    key.verify(_b64d(signature), _b64d(payload))  # raises if not genuine
    assert _b64d(payload).decode() == f"GDHC1|{card.number}|{card.expires_on.isoformat()}|{card.nonce}"
    read = signing.read_token(card.token, key=key)
    assert read.number == card.number and read.expires_on == card.expires_on


def test_the_page_is_rate_limited(client, card, settings):
    settings.HONOR_CARD_CHECK_RATE_PER_MINUTE = 3
    codes = [client.get(card.verify_path).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    other = client.get(card.verify_path, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_the_check_page_limit_holds_to_the_end_of_the_minute_and_lifts_in_the_next(
    client, card, settings, ratelimit_clock
):
    settings.HONOR_CARD_CHECK_RATE_PER_MINUTE = 3
    for _ in range(3):
        client.get(card.verify_path)
    ratelimit_clock.advance(29)  # hh:mm:59: the same window
    assert client.get(card.verify_path).status_code == 429
    ratelimit_clock.advance(1)
    assert client.get(card.verify_path).status_code == 200


def test_the_index_explains_the_card_and_offline_checks(client):
    html = client.get(reverse("honorcards:index")).content.decode()
    assert "Ed25519" in html and reverse("honorcards:public_key") in html


# --- API ---


def _api(world, volunteer):
    return reverse("api-honor-card-eligibility", args=[volunteer.pk])


def test_the_api_gives_the_check_to_the_units_token(world):
    volunteer = eligible_volunteer(world.unit)
    _, key = issue_token(unit=world.unit, actor=world.officer, name="hr")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.get(_api(world, volunteer) + f"?as_of={datetime.date.today().isoformat()}")
    assert response.status_code == 200
    data = response.json()
    assert data["eligible"] is True and data["hours"] == "320.00"
    assert {r["code"] for r in data["rules"]} == {"years", "hours", "recent"}
    assert data["hours_by_unit"] == {world.unit.name: "320.00"}


def test_the_api_hides_other_units_volunteers_and_checks_the_date(world):
    stranger = eligible_volunteer(UnitFactory(approved=True))
    _, key = issue_token(unit=world.unit, actor=world.officer, name="hr")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(_api(world, stranger)).status_code == 404
    mine = eligible_volunteer(world.unit)
    assert api.get(_api(world, mine) + "?as_of=2026-13-01").status_code == 400
    assert APIClient().get(_api(world, mine)).status_code in (401, 403)


def test_reviewers_use_the_api_with_their_session(world):
    volunteer = VolunteerFactory()
    api = APIClient()
    api.force_login(world.centre)
    assert api.get(_api(world, volunteer)).status_code == 200
    api.force_login(officer_of(UnitFactory(approved=True)))
    assert api.get(_api(world, volunteer)).status_code == 404


def test_production_refuses_to_sign_without_a_configured_key(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.HONOR_CARD_SIGNING_KEY = ""
    settings.HONOR_CARD_SIGNING_KEY_REQUIRED = True
    with pytest.raises(ImproperlyConfigured):
        signing.make_token("11500001", datetime.date(2029, 1, 1), "0" * 32)
    settings.HONOR_CARD_SIGNING_KEY = "gNI4Mn1kmnSxD1vv2SIJG2vUmMbFvRvIAl8sQKHjY2Y="
    token = signing.make_token("11500001", datetime.date(2029, 1, 1), "0" * 32)
    assert signing.read_token(token).number == "11500001"


@pytest.mark.parametrize("as_of", ["0001-01-01", "9999-12-31"])
def test_the_api_refuses_dates_outside_the_calendar(world, as_of):
    volunteer = eligible_volunteer(world.unit)
    api = APIClient()
    api.force_login(world.centre)
    assert api.get(_api(world, volunteer) + f"?as_of={as_of}").status_code == 400


def test_the_check_page_answers_for_any_date_given(client, world):
    volunteer = eligible_volunteer(world.unit)
    client.force_login(world.officer)
    url = reverse("honorcards:check", args=[volunteer.pk])
    for as_of in ("0001-01-01", "nonsense", "2020-02-29"):
        assert client.get(url + f"?as_of={as_of}").status_code == 200


def _alphabet():
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def test_every_altered_character_of_a_token_gives_404(client, card, settings):
    """Python's base64 ignores the padding bits of the last character; the check must not."""
    settings.HONOR_CARD_CHECK_RATE_PER_MINUTE = 0
    token = card.token
    alphabet = _alphabet()
    ends = (token.index(".") - 1, len(token) - 1)  # where the unused low bits live
    for position, char in enumerate(token):
        if char == ".":
            continue
        # Everywhere the smallest change (the lowest bit); at each half's end every other character.
        nearest = alphabet[alphabet.index(char) ^ 1]
        replacements = alphabet + "=+/" if position in ends else nearest + "="
        for replacement in replacements:
            if replacement == char:
                continue
            altered = token[:position] + replacement + token[position + 1 :]
            assert signing.read_token(altered) is None, (position, replacement)
    for position in ends:
        for replacement in alphabet[:8]:
            if replacement != token[position]:
                altered = token[:position] + replacement + token[position + 1 :]
                assert client.get(reverse("honorcards:verify", args=[altered])).status_code == 404


def test_only_the_canonical_base64_spelling_is_read():
    data = b"GDHC1"
    canonical = _b64e(data)
    assert _b64d(canonical) == data
    # The same bytes with the unused low bits of the last character set.
    sloppy = canonical[:-1] + _alphabet()[_alphabet().index(canonical[-1]) + 1]
    with pytest.raises(ValueError):
        _b64d(sloppy)
    for bad in (canonical + "=", canonical[:2] + " " + canonical[2:], canonical[:2] + "+" + canonical[3:]):
        with pytest.raises(ValueError):
            _b64d(bad)
