"""The Redis cache keeps one client per connection pool (core/cache.py), where Django makes one per
operation; operations, and an outage, behave as before."""

import uuid
from unittest import mock

import redis

from core.cache import ResilientRedisCache
from tests.conftest import require_redis

CLOSED_PORT = "redis://127.0.0.1:1/0"


def a_cache(location: str) -> ResilientRedisCache:
    # A prefix of its own: the test's database is shared with other runs on this Redis.
    return ResilientRedisCache(location, {"KEY_PREFIX": f"client-reuse-test-{uuid.uuid4().hex}"})


def test_cache_operations_make_one_redis_client_not_one_each():
    cache = a_cache(require_redis(13))
    cache.set("warm", 1)  # the pool and its client
    with mock.patch.object(redis.Redis, "__init__", autospec=True, side_effect=redis.Redis.__init__) as made:
        cache.set("answer", {"n": 42}, 30)
        assert cache.get("answer") == {"n": 42}
        assert cache.add("answer", 0) is False
        assert cache.get_many(["answer", "warm"]) == {"answer": {"n": 42}, "warm": 1}
        assert cache.incr("warm") == 2
        cache.delete_many(["answer", "warm"])
    assert made.call_count == 0
    assert cache.get("answer") is None


def test_a_kept_client_still_falls_back_when_redis_is_away():
    cache = a_cache(CLOSED_PORT)
    cache.set("k", "v")  # refused: the process memory takes it
    assert cache.is_degraded()
    assert cache.get("k") == "v"
    assert cache._cache.get_client(write=True) is cache._cache.get_client()
