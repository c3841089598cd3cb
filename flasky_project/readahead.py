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
clear drops everything. Only the keys read ahead are kept: any other read goes to the cache each time.

Keys whose names are known only later are wanted (``want``) and carried by the request's next trip,
whatever it reads: a logged-in reader's navbar and sidebar (flasky_project.fragments) stand in the page as
markers (``later``) while it is drawn, their keys ride with the post cards' multi-get, and the middleware
puts them in the page once it is drawn (reading in one trip those no later trip carried, rendering and
storing those not cached). A visitor's are drawn at once: the page cache may store their page whole.

A value read ahead is what a read at that moment would have given, as with the API's token read-ahead
(api.authentication): a write by another process a moment later is seen on the next request, as it would
be by a read made a moment earlier.
"""

import re
import secrets
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.utils.safestring import mark_safe

ABSENT = object()
_UNREAD = object()


class _Scope:
    """A request's read-ahead: the values read (``found``, by key: ABSENT when not in the cache), the keys
    wanted but not read yet (``pending``: carried by the request's next trip to the cache), and the parts of
    the page left to fill in once it is drawn (``later``: see later()), when ``defers``, each standing in
    the page as a marker with the request's own ``nonce`` (so no text could ever be taken for one)."""

    __slots__ = ("found", "pending", "later", "defers", "nonce", "finishers")

    def __init__(self):
        self.found, self.pending, self.later, self.defers = {}, {}, [], False
        self.finishers = []
        self.nonce = secrets.token_hex(8)


_scope = ContextVar("flasky_read_ahead", default=None)
# Any request's marker: one pattern compiled once (a pattern of the request's own nonce was compiled on each
# request, a tenth of a millisecond); a marker whose nonce is not the request's is left as it is.
_MARKER = re.compile(rb"\x00later:([0-9a-f]{16}):(\d+)\x00")

# The groups of keys apps read ahead: name -> functions of the user that return keys (see register).
_GROUPS = {}
EVERY_PAGE = "page"
# Addresses that draw no page of the site: the API answers for itself (its token read-ahead:
# api.authentication), the language switch redirects, files are files.
NO_PAGE_PREFIXES = ("/api/", "/i18n/", "/static/", "/media/", "/healthz")


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


def want(keys):
    """Read ``keys`` with the request's next trip to the cache, whatever it reads (outside a request, or
    already read: nothing)."""
    scope = _scope.get()
    if scope is not None:
        scope.pending.update((key, None) for key in keys if key not in scope.found)


def read(keys):
    """Fetch ``keys`` now, in one round trip with any keys wanted, and keep them for the rest of the
    request (outside a request, nothing is kept and nothing read)."""
    scope = _scope.get()
    if scope is None:
        return
    want(keys)
    if scope.pending:
        cache.get_many(list(scope.pending))


def later(key, finish, name=""):
    """Defer a part of a logged-in reader's page that is cached under ``key``: the value of ``key`` is read
    with a later trip to the cache (the post cards', or one for all such parts once the page is drawn), and
    ``finish(value or None)`` makes the part's HTML then (rendering it on a miss). Returns what stands in the
    page for it meanwhile (NUL never appears in a page), or None when parts are not deferred (a visitor's
    page, which the page cache may store whole; outside a request): then the caller draws it at once.
    ``name`` says which part it is ("navbar"), for a page kept without it (flasky_project.shells)."""
    scope = _scope.get()
    if scope is None or not scope.defers:
        return None
    marker = f"\x00later:{scope.nonce}:{len(scope.later)}\x00"
    scope.later.append((key, finish, name))
    want([key])
    return mark_safe(marker)  # noqa: S308 - a marker of our own, replaced before the response leaves


def at_end(finish):
    """Call ``finish(response)`` once the page's deferred parts are in it (flasky_project.shells: a kept
    page's own tokens put back). Returns False outside a request, where nothing is deferred: then the caller
    does it at once."""
    scope = _scope.get()
    if scope is None:
        return False
    scope.finishers.append(finish)
    return True


def deferred_parts():
    """The parts deferred so far in this request: (the marker's pattern, each part's name in order), or None
    outside a request."""
    scope = _scope.get()
    if scope is None:
        return None
    pattern = re.compile(rb"\x00later:" + scope.nonce.encode() + rb":(\d+)\x00")
    return pattern, [name for _key, _finish, name in scope.later]


@contextmanager
def request_scope():
    """What is read ahead inside is kept until the end (a request: ScopeMiddleware, or ReadAheadMiddleware
    without it); inside another scope, that one."""
    if _scope.get() is not None:
        yield _scope.get()
        return
    token = _scope.set(_Scope())
    try:
        yield _scope.get()
    finally:
        _scope.reset(token)


class ScopeMiddleware:
    """Opens the request's read-ahead before the session is read, so that the session's trip to the cache
    carries the keys wanted before it (the copy of the session's user: accounts.backends). Outside the
    session's middleware; ReadAheadMiddleware, further in, reads and fills within the same scope."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_scope():
            return self.get_response(request)


class ReadAheadMiddleware:
    """Reads the keys of the view's groups ahead for a logged-in reader (after the session and the user, in
    process_view, before any middleware's process_view that reads them: moderation's notice); fills in the
    parts of the page deferred by later() when the response is made, and forgets it all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_scope() as scope:
            try:
                response = self.get_response(request)
                if scope.later:
                    _fill(response, scope)
                for finish in scope.finishers:
                    finish(response)
                return response
            finally:
                # (what answers outside, in the same scope, draws its parts at once: an error page made
                # by a middleware further out)
                scope.defers, scope.later, scope.finishers = False, [], []

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if user.is_authenticated and not request.path_info.startswith(NO_PAGE_PREFIXES):
            _scope.get().defers = True
            groups = (EVERY_PAGE, *getattr(view_func, "read_ahead_groups", ()))
            read([key for group in groups for keys_for in _GROUPS.get(group, ()) for key in keys_for(user)])


def _fill(response, scope):
    """Put each deferred part in the response's page, its values read in one trip (none when the trips
    made since carried them all), in one pass over the page as drawn (a part's own HTML is never searched
    for markers). A part that is not in the page (a response that is not the drawn page: a redirect) is
    neither read nor rendered."""
    if getattr(response, "streaming", True):
        return
    content, charset = response.content, response.charset
    nonce = scope.nonce.encode()
    present = {int(index) for own, index in _MARKER.findall(content) if own == nonce}
    present = {index for index in present if index < len(scope.later)}
    if not present:
        return
    values = cache.get_many([scope.later[index][0] for index in sorted(present)])
    parts = {}
    for index in present:
        key, finish, _name = scope.later[index]
        parts[index] = str(finish(values.get(key))).encode(charset)

    def part(match):
        return parts.get(int(match[2]), b"") if match[1] == nonce else match[0]

    content = _MARKER.sub(part, content)
    response.content = content
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(content))


class ReadAheadCache:
    """A cache backend's reads answered from the request's read-ahead first, a trip that must be made
    carrying the keys wanted meanwhile; its writes drop the keys they write from it (mixed into the site's
    cache classes, flasky_project.cache). Reads with an explicit version go to the cache: the read-ahead
    holds the current version's values only. Only the keys read ahead or wanted are kept: any other read
    goes to the cache each time (a count polled while another process recounts it)."""

    def get(self, key, default=None, version=None):
        scope = _scope.get()
        if scope is not None and version is None:
            value = scope.found.get(key, _UNREAD)
            if value is not _UNREAD:
                return default if value is ABSENT else value
            if scope.pending:
                return self.get_many([key]).get(key, default)
        return super().get(key, default, version)

    def get_many(self, keys, version=None):
        scope = _scope.get()
        if scope is None or version is not None:
            return super().get_many(keys, version)
        found, known, rest = scope.found, {}, []
        for key in keys:
            value = found.get(key, _UNREAD)
            if value is _UNREAD:
                rest.append(key)
            elif value is not ABSENT:
                known[key] = value
        if rest:
            carried = [key for key in scope.pending if key not in rest]
            wanted = {key for key in scope.pending if key in rest}
            scope.pending = {}  # (before the trip: a local cache's get_many reads each key with get)
            values = super().get_many(rest + carried, version)
            for key in (*carried, *wanted):
                found[key] = values.pop(key, ABSENT) if key in carried else values.get(key, ABSENT)
            known.update(values)
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
        keys = list(keys)  # (read twice: a generator would be spent by the first)
        _forget(keys)
        return super().delete_many(keys, version)

    def clear(self):
        scope = _scope.get()
        if scope is not None:
            scope.found.clear()
        return super().clear()


def forget(keys):
    """Read ``keys`` from the cache again on their next read in this request: for a value that another
    process is about to write, polled until it does (a list's count being recounted)."""
    _forget(keys)


def _forget(keys):
    scope = _scope.get()
    if scope is not None and scope.found:
        for key in keys:
            scope.found.pop(key, None)
