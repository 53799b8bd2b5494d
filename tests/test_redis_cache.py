"""The Redis cache shares one client per connection pool, and caches as Django's own does."""

import socket

import pytest

from news57.redis_cache import Cache

LOCATION = "redis://127.0.0.1:6379/8"


def redis_answers():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not redis_answers(), reason="needs Redis on 127.0.0.1:6379 (CI and these machines run it)")


@pytest.fixture
def cache():
    made = Cache(LOCATION, {"KEY_PREFIX": "test-redis-cache"})
    made.clear()
    yield made
    made.clear()


def test_every_operation_uses_the_same_client(cache):
    cache.get("any")
    client = cache._cache.get_client()
    cache.set("any", 1)
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client("other") is client


def test_it_stores_reads_counts_and_forgets(cache):
    cache.set("fragment", {"html": "<p>Tin mới</p>"}, 60)
    assert cache.get("fragment") == {"html": "<p>Tin mới</p>"}
    assert cache.add("version", 7) and not cache.add("version", 8)
    assert cache.incr("version") == 8
    assert cache.get_many(["fragment", "version", "missing"]) == {"fragment": {"html": "<p>Tin mới</p>"}, "version": 8}
    cache.delete_many(["fragment", "version"])
    assert cache.get_many(["fragment", "version"]) == {}
