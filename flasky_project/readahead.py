"""Reading ahead: as soon as a request's reader is known, every per-reader cache key its page will read is
fetched in one multi-get, and the readers of those keys are answered from it instead of one round trip each.

A logged-in home page read the cache ten times, each a round trip of 0.1–0.2 ms of CPU besides the wait:
the moderation notice, the pending comments' count and the site's generation (every page), the people to
follow, the followed tags and the talks coming up (the pages with the sidebar). Apps name those keys here
(``register``: a group's keys for a user), views say which groups their page reads (``@reads_ahead``),
and ReadAheadMiddleware reads them all when the view is known, once the session has named the user.

The values are kept for the request in a context variable, and the cache itself consults them
(ReadAheadCache: the site's cache classes are built on it), so every existing reader of those keys uses them
unchanged: a key read ahead and not found is known absent (no second trip). Any write of a key through the
cache during the request (a set, add, delete, incr: a fragment stored after a miss, a notice taken, a
version bumped) drops it from what was read ahead, so later reads go to the cache and see the write; a
clear drops everything. A value read ahead is what a read at that moment would have given, as the API's
token read-ahead (api.authentication) holds: a write by another process a moment later is seen on the next
request, as it would be by a read made a moment earlier.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache

# What this request read ahead, by key (ABSENT: read, and not in the cache); None outside a read-ahead.
_found = ContextVar("flasky_read_ahead", default=None)
ABSENT = object()

# The groups of keys apps read ahead: name -> functions of the user that return keys (see register).
_GROUPS = {}
EVERY_PAGE = "page"


def register(group, keys_for):
    """Read the keys ``keys_for(user)`` ahead on the pages that read ``group`` (EVERY_PAGE: every page a
    logged-in reader requests). Called by apps' ready(); a function registered twice is read once."""
    functions = _GROUPS.setdefault(group, [])
    if keys_for not in functions:
        functions.append(keys_for)


def reads_ahead(*groups):
    """The view's page reads the keys of ``groups`` (besides EVERY_PAGE's) for a logged-in reader."""

    def decorate(view):
        view.read_ahead_groups = groups
        return view

    return decorate


def read(keys):
    """Fetch ``keys`` in one round trip and keep them for the rest of the request (outside a request,
    nothing is kept and nothing read)."""
    found = _found.get()
    if found is None:
        return
    wanted = [key for key in dict.fromkeys(keys) if key not in found]
    if wanted:
        values = cache.get_many(wanted)
        found.update({key: values.get(key, ABSENT) for key in wanted})


@contextmanager
def request_scope():
    """What is read ahead inside is kept until the end (a request: ReadAheadMiddleware)."""
    token = _found.set({})
    try:
        yield
    finally:
        _found.reset(token)


class ReadAheadMiddleware:
    """Reads the keys of the view's groups ahead for a logged-in reader (after the session and the user, in
    process_view, before any middleware's process_view that reads them: moderation's notice), and forgets
    them when the response is made."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_scope():
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if user.is_authenticated:
            groups = (EVERY_PAGE, *getattr(view_func, "read_ahead_groups", ()))
            read([key for group in groups for keys_for in _GROUPS.get(group, ()) for key in keys_for(user)])


class ReadAheadCache:
    """A cache backend's reads answered from the request's read-ahead first; its writes drop the keys they
    write from it (mixed into the site's cache classes, flasky_project.cache). Reads with an explicit
    version go to the cache: the read-ahead holds the current version's values only."""

    def get(self, key, default=None, version=None):
        found = _found.get()
        if found and version is None:
            value = found.get(key, _UNREAD)
            if value is not _UNREAD:
                return default if value is ABSENT else value
        return super().get(key, default, version)

    def get_many(self, keys, version=None):
        found = _found.get()
        if not found or version is not None:
            return super().get_many(keys, version)
        known, rest = {}, []
        for key in keys:
            value = found.get(key, _UNREAD)
            if value is _UNREAD:
                rest.append(key)
            elif value is not ABSENT:
                known[key] = value
        if rest:
            known.update(super().get_many(rest, version))
        return known

    def add(self, key, value, timeout=None, version=None):
        _forget((key,))
        return super().add(key, value, timeout, version)

    def set(self, key, value, timeout=None, version=None):
        _forget((key,))
        return super().set(key, value, timeout, version)

    def delete(self, key, version=None):
        _forget((key,))
        return super().delete(key, version)

    def incr(self, key, delta=1, version=None):
        _forget((key,))
        return super().incr(key, delta, version)

    def decr(self, key, delta=1, version=None):
        _forget((key,))
        return super().decr(key, delta, version)

    def set_many(self, data, timeout=None, version=None):
        _forget(data)
        return super().set_many(data, timeout, version)

    def delete_many(self, keys, version=None):
        _forget(keys)
        return super().delete_many(keys, version)

    def clear(self):
        found = _found.get()
        if found:
            found.clear()
        return super().clear()


_UNREAD = object()


def _forget(keys):
    found = _found.get()
    if found:
        for key in keys:
            found.pop(key, None)
