"""Claiming one's volunteer record by ID number and birth date allows five tries a day, and parallel
guesses cannot slip past the count: each try is counted by one atomic increment before the register
is asked, in Redis and in the embedded default's file cache alike."""

import datetime
import threading

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from core.crypto import lookup_hash
from tests.accounts.factories import make_user
from tests.volunteers.factories import UnitFactory, member_of
from volunteers.registry import services

pytestmark = pytest.mark.django_db(transaction=True)

GUESSES = 12


@pytest.fixture(params=["configured cache", "embedded file cache"])
def claim_cache(request, settings, tmp_path):
    """The cache the shape under test configures (Redis, or the file cache without REDIS_URL), and
    the embedded default's file cache explicitly (core/filecache.py), whichever shape runs."""
    if request.param == "embedded file cache":
        settings.CACHES = {
            "default": {
                "BACKEND": "core.filecache.AtomicFileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
            }
        }
    return request.param


def _post_together(clients, data):
    barrier = threading.Barrier(len(clients))
    pages = [None] * len(clients)

    def worker(i, client):
        try:
            barrier.wait()
            pages[i] = client.post(reverse("volunteers:claim"), data).content.decode()
        except Exception as exc:  # the test inspects what each request got
            pages[i] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return pages


def test_parallel_wrong_guesses_get_no_more_than_five_lookups(claim_cache):
    member_of(
        UnitFactory(),
        identity_number="A123456789",
        identity_hash=lookup_hash("A123456789"),
        birth_date=datetime.date(1960, 1, 2),
    )
    user = make_user(Role.DONOR)
    cache.delete(f"volunteers:claim:{user.pk}:{timezone.localdate()}")  # a counter left by an earlier run
    clients = []
    for _ in range(GUESSES):
        client = Client()
        client.force_login(user)
        clients.append(client)
    wrong_birthday = {
        "identity_kind": "national_id",
        "identity_number": "A123456789",
        "birth_date": "1960-01-03",
    }

    pages = _post_together(clients, wrong_birthday)

    looked_up = sum("找不到相符" in page for page in pages)
    locked = sum("次數過多" in page for page in pages)
    assert (looked_up, locked) == (services.CLAIM_ATTEMPTS, GUESSES - services.CLAIM_ATTEMPTS), pages
    # The right birthday afterwards is refused too: the day's tries are spent.
    right = Client()
    right.force_login(user)
    page = right.post(reverse("volunteers:claim"), {**wrong_birthday, "birth_date": "1960-01-02"})
    assert "次數過多" in page.content.decode()


def test_a_number_in_the_wrong_shape_is_not_counted_as_a_try(claim_cache):
    user = make_user(Role.DONOR)
    cache.delete(f"volunteers:claim:{user.pk}:{timezone.localdate()}")
    for _ in range(services.CLAIM_ATTEMPTS + 2):
        with pytest.raises(Exception, match="格式"):
            services.claim_volunteer_record(
                user=user,
                identity_kind="national_id",
                identity_number="A12345",
                birth_date=datetime.date(1970, 1, 1),
            )
    with pytest.raises(Exception, match="找不到"):
        services.claim_volunteer_record(
            user=user,
            identity_kind="national_id",
            identity_number="A123456789",
            birth_date=datetime.date(1970, 1, 1),
        )
