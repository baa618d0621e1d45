"""Odd input never gives a 500: every list and search view of the permission matrix, opened by a role
that may see it, with NUL bytes, huge numbers, far dates and invalid UTF-8 in each parameter the
view reads. Only 200, 400 or 404 is an acceptable answer.

NUL bytes matter most on PostgreSQL (it refuses them in any text); run this file there too.
"""

import contextlib
import inspect
import re
from importlib import import_module

import pytest
from django.urls import resolve, reverse

from tests.security.matrix import ROLES
from tests.security.test_permission_matrix import RULES, world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

ODD_VALUES = [
    "a\x00b",
    "9" * 30,
    "-" + "9" * 30,
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "2026-02-30",
]
# Raw query strings (WSGI hands them over as latin-1 text): bytes that are not UTF-8.
INVALID_UTF8 = ["{name}=%FF%FE%00", "{name}=\xff\xfe", "{name}=%C0%AF"]
ACCEPTED = {200, 400, 404}
# Files whose rendering is slow and whose parameters are covered by their page (PDFs).
SKIP = re.compile(r"pdf|photo|image|public_key")
# Parameters every list view may be handed even if it does not read them.
ALWAYS = {"page", "q"}
PARAM = re.compile(r"""(?:GET|query_params)(?:\.get|\.getlist)?[\[(]\s*["']([a-z_]+)["']""")
FILTER_KEYS = re.compile(r"""for (?:key|k) in \(([^)]*)\)""")


def _params_read_by(view) -> set[str]:
    """The GET parameters the view's module (and its app's forms and selectors) reads."""
    module = import_module(view.__module__)
    names = set(ALWAYS)
    package = module.__name__.rpartition(".")[0]
    sources = [inspect.getsource(module)]
    for sibling in ("forms", "selectors", "hours", "filters"):
        with contextlib.suppress(ImportError, TypeError, OSError):
            sources.append(inspect.getsource(import_module(f"{package}.{sibling}")))
    for source in sources:
        names |= set(PARAM.findall(source))
        for group in FILTER_KEYS.findall(source):
            names |= set(re.findall(r"""["']([a-z_]+)["']""", group))
    return names


def _reader(expected: dict) -> str | None:
    """Who opens the page: anonymous if it is public, else the first role that gets a 200."""
    if expected.get("anonymous") == 200:
        return "anonymous"
    return next((role for role in ROLES if expected.get(role) == 200), None)


def test_every_list_and_search_view_survives_odd_input(client, world):  # noqa: F811
    client.raise_request_exception = False  # collect every 500, not just the first
    wrong = []
    current = None
    for name, (arg_key, expected) in sorted(RULES.items()):
        role = _reader(expected)
        if role is None or SKIP.search(name):
            continue
        url = reverse(name, kwargs=world["args"][arg_key])
        if role != current:
            client.logout()
            if role != "anonymous":
                client.force_login(world["users"][role])
            current = role
        params = sorted(_params_read_by(resolve(url).func))
        # Every parameter the view reads carries the same odd value at once: one request per value.
        for value in ODD_VALUES:
            status = client.get(url, dict.fromkeys(params, value)).status_code
            if status not in ACCEPTED:
                wrong.append(f"{role:12} {url} {params}={value!r}: {status}")
        for raw in INVALID_UTF8:
            query = "&".join(raw.format(name=param) for param in params)
            status = client.get(url, QUERY_STRING=query).status_code
            if status not in ACCEPTED:
                wrong.append(f"{role:12} {url}?{query!r}: {status}")
    assert not wrong, "\n".join(wrong)


def test_a_nul_byte_is_refused_before_any_view(client):
    response = client.get(reverse("programs:list"), {"q": "a\x00b"})
    assert response.status_code == 400
    assert "無法處理這個請求" in response.content.decode()


def test_a_nul_byte_in_a_form_is_refused_and_nothing_changes(client, make_user):
    from accounts.roles import Role
    from programs.models import Program

    client.force_login(make_user(Role.CASEWORKER))
    before = Program.objects.count()
    response = client.post(reverse("programs:create"), {"title": "a\x00b"})
    assert response.status_code == 400
    assert Program.objects.count() == before
