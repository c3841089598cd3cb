"""The Redis cache reuses one client per connection pool instead of making one per operation."""

from flasky_project.cache import ResilientRedisCache


def test_every_operation_shares_one_redis_client_per_pool():
    cache = ResilientRedisCache("redis://127.0.0.1:1/0", {})  # no server needed: nothing is sent
    reader = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is reader
    assert cache._cache.get_client("a", write=True) is reader  # one server: one pool for reads and writes


def test_a_second_server_has_a_client_of_its_own():
    cache = ResilientRedisCache("redis://127.0.0.1:1/0,redis://127.0.0.1:2/0", {})
    writer = cache._cache.get_client(write=True)
    assert writer.connection_pool.connection_kwargs["port"] == 1
    assert cache._cache.get_client(write=True) is writer
