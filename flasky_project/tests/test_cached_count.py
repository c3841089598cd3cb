"""Cached counts: shared through the cache, and recounted by one process at a time when they expire."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache

from flasky_project import pagination, readahead
from flasky_project.pagination import cached_count


class SlowCount:
    """A stand-in for a large queryset: its count takes a while and says how often it was asked."""

    def __init__(self, value, seconds=0.0):
        self.value, self.seconds, self.calls = value, seconds, 0
        self._lock = threading.Lock()

    def count(self):
        with self._lock:
            self.calls += 1
        time.sleep(self.seconds)
        return self.value


def test_a_count_is_counted_once_then_shared():
    rows = SlowCount(7)
    assert [cached_count("things", rows) for _ in range(3)] == [7, 7, 7]
    assert rows.calls == 1


def test_an_expired_count_is_recounted():
    assert cached_count("things", SlowCount(7), timeout=1) == 7
    time.sleep(1.05)
    rows = SlowCount(8)
    assert cached_count("things", rows, timeout=1) == 8
    assert rows.calls == 1


def test_while_one_process_recounts_the_others_serve_the_old_count():
    cached_count("things", SlowCount(7), timeout=1)
    time.sleep(1.05)
    assert cache.add("counts:things:recount", True)  # another process is recounting
    rows = SlowCount(8)
    assert cached_count("things", rows, timeout=1) == 7
    assert rows.calls == 0


def test_an_expired_count_asked_for_at_once_is_recounted_by_one_caller_only():
    cached_count("things", SlowCount(7), timeout=1)
    time.sleep(1.05)
    rows = SlowCount(8, seconds=0.3)
    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(lambda _n: cached_count("things", rows, timeout=1), range(10)))
    assert rows.calls == 1
    assert answers.count(8) == 1 and answers.count(7) == 9  # the others kept the old count meanwhile


def test_with_no_count_yet_callers_wait_for_the_one_count():
    rows = SlowCount(5, seconds=0.3)
    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(lambda _n: cached_count("cold", rows), range(10)))
    assert answers == [5] * 10
    assert rows.calls == 1


def test_a_recount_that_never_finishes_does_not_hold_callers_for_ever(monkeypatch):
    monkeypatch.setattr(pagination, "RECOUNT_WAIT_SECONDS", 0.2)
    assert cache.add("counts:cold:recount", True)  # a process took the lock and died
    rows = SlowCount(5)
    started = time.monotonic()
    assert cached_count("cold", rows) == 5
    assert rows.calls == 1 and time.monotonic() - started < 1


def test_a_request_that_read_the_count_ahead_still_sees_another_process_store_it():
    # The page's trip to the cache found no count (read ahead: flasky_project.readahead) while another
    # process recounts: the wait must read the cache again, not the absence read ahead.
    rows = SlowCount(5)

    def recounted_elsewhere():
        cache.set("counts:cold", (42, time.time() + 60), 600)

    with readahead.request_scope():
        readahead.want(["counts:cold"])
        cache.get_many(["something-else"])  # the trip that carries it: absent
        assert cache.add("counts:cold:recount", True)  # another process is recounting
        other = threading.Timer(0.1, recounted_elsewhere)  # (another thread: outside this request's scope)
        other.start()
        started = time.monotonic()
        assert cached_count("cold", rows) == 42
        other.join()
    assert rows.calls == 0 and time.monotonic() - started < 1


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.delete_many(["counts:things", "counts:things:recount", "counts:cold", "counts:cold:recount"])


def test_an_entry_of_another_shape_is_recounted_not_a_500(django_user_model):
    # A cache that outlives a deploy may hold what an older release stored under the key.
    cache.set("counts:odd", 7)
    assert cached_count("odd", django_user_model.objects.all()) == django_user_model.objects.count()
    cache.delete_many(["counts:odd", "counts:odd:recount"])
