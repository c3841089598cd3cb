"""A Redis cache that fails soft: when Redis is down the site keeps serving, slower, and says so in the log.

Reads miss, writes are dropped and counters allow, so sessions fall back to the database (the
cached_db engine), rate limits open up and pages are rendered afresh. Each failure is logged as a warning
at most once every ten seconds per process, so an outage does not flood the log.
"""

import logging
import pickle
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient, RedisSerializer
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from flasky_project.readahead import ReadAheadCache

logger = logging.getLogger(__name__)

FAILURES = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)
_LOG_INTERVAL = 10.0


class PickleFirstSerializer(RedisSerializer):
    """Django's serializer, reading a pickle without first trying it as a number: Django stores an int as
    its digits and anything else pickled, and tries int() on every value it reads, which raises (and is
    caught) for each pickle: 2.7 µs a value, a quarter of the CPU time of the API's multi-get of twenty
    posts. A pickle (protocol 2 and later, which Django writes) starts with the PROTO opcode, which no
    number's digits do; anything else is read as Django reads it."""

    def loads(self, data):
        if data[:1] == b"\x80":
            return pickle.loads(data)  # noqa: S301 - the site's own cache, as Django reads it
        return super().loads(data)


_UNREADABLE = object()


def _loaded(serializer, data, default):
    """A cached value, or ``default`` (a miss) when it no longer unpickles: an entry written by code of
    before a deploy that changed its class would otherwise fail every read until it expired. Its key is
    then written again as for any miss."""
    try:
        return serializer.loads(data)
    except (pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError, EOFError, IndexError):
        return default


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client makes a new redis.Redis object for every operation, and redis-py sets up some 170
    response callbacks in each: measured, most of a cache read's CPU time. One object per connection pool
    serves every operation (redis-py's clients are safe to share between threads)."""

    def __init__(self, *args, serializer=None, **kwargs):
        super().__init__(*args, serializer=serializer or PickleFirstSerializer, **kwargs)
        self._clients = {}

    def get(self, key, default):
        value = self.get_client(key).get(key)
        return default if value is None else _loaded(self._serializer, value, default)

    def get_many(self, keys):
        found = {}
        for key, data in zip(keys, self.get_client(None).mget(keys), strict=True):
            value = _UNREADABLE if data is None else _loaded(self._serializer, data, _UNREADABLE)
            if value is not _UNREADABLE:
                found[key] = value
        return found

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class ResilientRedisCache(ReadAheadCache, RedisCache):
    _last_logged = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def validate_key(self, key):
        """No warnings about keys memcached would refuse (too long, with spaces or control characters):
        Redis takes any key, and checking each key with a regular expression was 3 µs a key, a fifth of the
        CPU time of the API's multi-get of twenty posts. (The local cache of the tests still warns.)"""

    def _failed(self, operation, error):
        now = time.monotonic()
        if now - ResilientRedisCache._last_logged > _LOG_INTERVAL:
            ResilientRedisCache._last_logged = now
            logger.warning(
                "Redis is unavailable (%s failed: %s); serving without the cache", operation, error
            )

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except FAILURES as error:
            self._failed("add", error)
            return True  # as if added: callers that use add() as a lock or a counter start go ahead

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except FAILURES as error:
            self._failed("get", error)
            return default

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except FAILURES as error:
            self._failed("set", error)

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except FAILURES as error:
            self._failed("touch", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except FAILURES as error:
            self._failed("delete", error)
            return False

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except FAILURES as error:
            self._failed("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except FAILURES as error:
            self._failed("has_key", error)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except FAILURES as error:
            self._failed("incr", error)
            return delta

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except FAILURES as error:
            self._failed("set_many", error)
            return list(data)

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except FAILURES as error:
            self._failed("delete_many", error)
            return False

    def clear(self):
        try:
            return super().clear()
        except FAILURES as error:
            self._failed("clear", error)
            return False


class LocalCache(ReadAheadCache, LocMemCache):
    """The cache of a process of its own (development and the tests, without REDIS_URL), reading ahead as
    the Redis one does (flasky_project.readahead)."""
