"""The icons browsers and phones ask for at the site's root are there (no 404 on every visit)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "signature"),
    [("/favicon.ico", b"\x00\x00\x01\x00"), ("/apple-touch-icon.png", b"\x89PNG\r\n\x1a\n")],
)
def test_site_icons_are_served_from_the_root(client, path, signature):
    response = client.get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(signature)


def test_pages_point_browsers_at_the_icons(client):
    page = client.get(reverse("core:home")).content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in page
    assert '<link rel="apple-touch-icon" href="/apple-touch-icon.png">' in page
