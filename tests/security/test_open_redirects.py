"""No `next=` sends anyone off the site: the language switch (a GET anyone can be sent to) and
the sign-in and sign-out doors, with the usual tricks (scheme-relative, backslashes, control
characters, user-info, other schemes)."""

from urllib.parse import urlsplit

import pytest

from accounts.roles import Role
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db

HOSTILE = [
    "https://evil.example.com/",
    "//evil.example.com/",
    "///evil.example.com/",
    "/\\evil.example.com/",
    "\\\\evil.example.com/",
    "\\/evil.example.com/",
    "/\t/evil.example.com/",
    " //evil.example.com/",
    "https:evil.example.com",
    "http://testserver@evil.example.com/",
    "https://evil.example.com\\@testserver/",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/%2F%2Fevil.example.com",
    "%2F%2Fevil.example.com",
]


def _stays_here(location: str) -> bool:
    parts = urlsplit(location.replace("\\", "/").strip())
    return (
        parts.scheme in ("", "http", "https")
        and parts.netloc in ("", "testserver")
        and (not location.lstrip().startswith(("//", "\\\\", "/\\", "\\/")))
    )


@pytest.mark.parametrize("target", HOSTILE)
def test_the_language_switch_never_leaves_the_site(client, target):
    response = client.get("/language/", {"language": "en", "next": target})
    assert response.status_code == 302
    assert _stays_here(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE)
def test_signing_in_never_leaves_the_site(client, make_user, target):
    user = make_user(Role.DONOR)
    response = client.post(f"/accounts/login/?next={target}", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert _stays_here(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE)
def test_signing_out_never_leaves_the_site(client, make_user, target):
    client.force_login(make_user(Role.DONOR))
    response = client.post("/accounts/logout/", {"next": target})
    assert response.status_code == 302
    assert _stays_here(response["Location"]), response["Location"]
