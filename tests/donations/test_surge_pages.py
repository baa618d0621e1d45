"""A disaster appeal's surge: paid gifts refresh the program's public page at most once per coalescing
window (PAGE_CACHE_COALESCE_SECONDS, core/pagecache.py), and none is missing from it for longer."""

import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from donations import forms
from tests.donations.factories import PledgeFactory
from tests.donations.test_notifications import notify, paid_params

pytestmark = pytest.mark.django_db


def raised(page) -> str:
    return page.content.decode()


def pay(program, amount, capture):
    pledge = PledgeFactory(program=program, amount=amount)
    with capture(execute=True):
        assert notify(Client(), paid_params(pledge)).content == b"1|OK"


def test_paid_gifts_show_on_the_program_page_at_once_then_by_the_windows_end(
    program, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_COALESCE_SECONDS = 2
    reader = Client()
    url = reverse("programs:detail", args=[program.pk])
    assert "NT$0 /" in raised(reader.get(url))
    pay(program, 500, django_capture_on_commit_callbacks)
    assert "NT$500 /" in raised(reader.get(url))  # the first gift: at once
    pay(program, 700, django_capture_on_commit_callbacks)
    assert "NT$500 /" in raised(reader.get(url))  # inside the window: the page as rendered
    time.sleep(2.05)
    assert "NT$1,200 /" in raised(reader.get(url))  # by the window's end


def test_a_surge_of_gifts_renders_the_program_page_once(
    program, settings, django_capture_on_commit_callbacks, django_assert_num_queries
):
    settings.PAGE_CACHE_COALESCE_SECONDS = 60
    reader = Client()
    url = reverse("programs:detail", args=[program.pk])
    pay(program, 500, django_capture_on_commit_callbacks)
    reader.get(url)
    for _ in range(5):
        pay(program, 100, django_capture_on_commit_callbacks)
        with django_assert_num_queries(0):
            reader.get(url)


def field_templates(response) -> int:
    return sum(t.name == "forms/field.html" for t in response.templates)


def test_the_blank_give_form_is_rendered_once_per_language_and_kept(client, program, donor):
    forms._BLANK_HTML.clear()  # what earlier tests in this process kept
    url = reverse("donations:give") + f"?program={program.pk}"
    first = client.get(url)
    again = Client().get(url)
    assert field_templates(first) > 0 and field_templates(again) == 0  # the kept markup
    assert first.content.decode().count('name="guest_email"') == 1
    assert again.content.decode().count('name="guest_email"') == 1
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = english.get(url).content.decode()
    assert "Amount (NT$)" in page and "捐款金額" not in page  # each language its own markup
    signed_in = Client()
    signed_in.force_login(donor)
    page = signed_in.get(url).content.decode()
    assert 'name="monthly"' in page and 'name="guest_email"' not in page  # a donor's own form


def test_a_posted_give_form_with_errors_is_rendered_with_them(client, program):
    url = reverse("donations:give") + f"?program={program.pk}"
    client.get(url)
    page = client.post(url, {"program": program.pk, "amount": 5}).content.decode()
    assert 'aria-invalid="true"' in page


def test_a_guests_checkout_is_two_statements_without_the_bureaus_join(client, program):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("donations:give") + f"?program={program.pk}"
    client.get(url)
    given = client.post(
        url,
        {
            "program": program.pk,
            "amount": 500,
            "channel": "credit",
            "donor_kind": "person",
            "donor_name": "王小明",
            "disclosure_mode": "full",
            "guest_email": "guest@example.tw",
        },
    )
    with CaptureQueriesContext(connection) as queries:
        checkout = client.get(given["Location"])
    assert checkout.status_code == 200 and program.title in checkout.content.decode()
    assert len(queries) == 2  # the session, the pledge with its program and monthly gift
    assert "accounts_organisation" not in queries[1]["sql"]
