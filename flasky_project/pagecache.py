"""Whole pages for visitors, rendered once: the chosen pages (@cached_for_visitors) are stored in the cache
under a site-wide generation, served from it to every visitor who would get the same page, and revalidated
with ETag / Last-Modified (304 Not Modified).

What may be shared: only a GET or HEAD from a visitor (not logged in, an empty session, no messages waiting),
answered 200 by the view without setting a cookie, touching the session or adding a message. The key holds
everything a visitor's page depends on: the address with its query, the host and scheme, the language the
LocaleMiddleware activated and the time zone UserPreferencesMiddleware activated (the tz cookie). The
site's Content-Security-Policy has no nonce (flasky_project/security.py), so nothing else is per request
except the CSRF token of the footer's language switch and of the guest comment form: it is stored as a
placeholder and each response gets the reader's own token (and CSRF cookie), as a fresh render would.

The generation changes on every write to a table whose rows visitors see (WATCHED_TABLES): a database
execute wrapper on every connection notices INSERT, UPDATE and DELETE statements, so ORM saves, queryset
updates, bulk operations, cascades, the admin, commands and the task worker all invalidate, with no list of
services to keep in step. Writes to a user's bookkeeping columns (last seen, last login, password) do not.
The generation changes at once and again when the transaction commits, so a page rendered from the
uncommitted state in between never outlives the commit. Time passing (a talk moving from upcoming to past,
"3 minutes ago") and writes made outside the site are covered by FLASKY_PAGE_CACHE_SECONDS, the longest a
stored page lives.
"""

import functools
import hashlib
import os
import re
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    _get_new_csrf_string,
    _unmask_cipher_token,
    get_token,
)
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.crypto import salted_hmac
from django.utils.http import http_date

from flasky_project.theme import theme_of

GENERATION_KEY = "pagecache:generation"
# The format of StoredPage is in the key: a deploy that changes it never unpickles the old ones.
PAGE_KEY_PREFIX = "pagecache:page:v1:"

# The tables whose rows visitors see on the cached pages: posts and their pictures, tags, comments, likes,
# talks, people (names, avatars, roles, suspensions) and follows (the counts on profiles); and the tags a
# member follows, which choose their Followed timeline (kept whole: flasky_project.shells). Moderation acts
# on these rows (a post held, a comment disabled, a user suspended), so it is covered too.
WATCHED_TABLES = (
    "accounts_user",
    "blog_post",
    "blog_postpicture",
    "blog_tag",
    "blog_posttag",
    "blog_comment",
    "blog_followedtag",
    "blog_like",
    "social_follow",
    "talks_talk",
)
# Columns of accounts_user written on every login or once a minute per active user; no cached page shows
# them to a visitor. (The profile's "last seen" may lag by FLASKY_PAGE_CACHE_SECONDS.)
UNSEEN_USER_COLUMNS = frozenset({"last_seen", "last_login", "password"})

# (SQLite writes bulk_create(ignore_conflicts=True) as INSERT OR IGNORE INTO, and update_conflicts as INSERT
# ... ON CONFLICT, which starts as any insert.)
WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE
)
_SET_COLUMNS = re.compile(r'"(\w+)"\s*=')

# The CSRF token stands as this in a stored page: NUL never appears in a rendered page.
PLACEHOLDER = b"\x00csrf\x00"
_TOKEN_CANDIDATE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
# Headers of the view's response worth keeping; the middleware outside the view adds the rest on each hit.
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Link", "X-Robots-Tag")


# --- The generation -----------------------------------------------------------------------------------------


def bump_generation():
    """Make every stored page stale."""
    renew_generation(GENERATION_KEY)


def generation():
    """The current generation (made if there is none): a value that changes on every write to what visitors
    see, for other caches of such data (talks.services.pending_count)."""
    return current_generation(GENERATION_KEY)


def _generation(current):
    return current_generation(GENERATION_KEY, {GENERATION_KEY: current})


# Generations of other kept things (the readers' marks: blog.marks; the sessions' users: accounts.backends;
# each member's notifications page: accounts.notifications) are made as the pages' is, with these.


def renew_generation(key, timeout=None):
    """A new generation at ``key`` (for ``timeout`` seconds; None: until evicted). Its value is random
    (never reused, so a generation evicted from the cache, or expired, cannot bring back what was kept
    under it) and says when it was made (for replica lag, see _may_store)."""
    cache.set(key, _fresh_generation(), timeout=timeout)


def current_generation(key, found=None, timeout=None):
    """The generation at ``key`` (from ``found``, what the request read ahead, when given; else read now),
    made (for ``timeout`` seconds) if none."""
    current = found.get(key) if found is not None else cache.get(key)
    if current is None:
        fresh = _fresh_generation()
        current = fresh if cache.add(key, fresh, timeout=timeout) else (cache.get(key) or fresh)
    return current


def _fresh_generation():
    return f"{uuid.uuid4().hex[:12]}:{time.time():.3f}"


def written_table(sql):
    """The table an INSERT, UPDATE, DELETE or REPLACE statement writes to; None for any other statement."""
    if not isinstance(sql, str) or sql.lstrip()[:6].upper() not in ("INSERT", "UPDATE", "DELETE", "REPLAC"):
        return None
    match = WRITE.match(sql)
    return match.group(1) if match is not None else None


def watch_writes(execute, sql, params, many, context):
    """A database execute wrapper: a write to a watched table makes a new generation, at once and again on
    commit (a page rendered from the uncommitted state meanwhile is stored under the first one)."""
    result = execute(sql, params, many, context)
    if _changes_what_visitors_see(sql):
        bump_now_and_on_commit(context["connection"], bump_generation)
    return result


def bump_now_and_on_commit(connection, bump):
    """``bump()`` now, and once more when ``connection``'s transaction commits, if one is open (what is read
    from the uncommitted state meanwhile is stored under the first bump's generation)."""
    bump()
    if connection.in_atomic_block and not any(entry[1] is bump for entry in connection.run_on_commit):
        transaction.on_commit(bump, using=connection.alias)


def _changes_what_visitors_see(sql):
    table = written_table(sql)
    if table not in WATCHED_TABLES:
        return False
    if table == "accounts_user" and sql[:6].upper() == "UPDATE":
        assignments = sql.split(" WHERE ", 1)[0]
        return not set(_SET_COLUMNS.findall(assignments)) <= UNSEEN_USER_COLUMNS
    return True


def install_write_watcher(sender=None, connection=None, **kwargs):
    """connection_created receiver: every connection of every process watches its writes (outside the
    slow-query timer, which times the query alone)."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, watch_writes)


# --- The pages ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredPage:
    generation: str
    body: bytes  # with PLACEHOLDER where the CSRF token was
    headers: tuple
    digest: str  # of body: the base of the ETag
    last_modified: int  # seconds since the epoch
    has_token: bool


def cached_for_visitors(view):
    """Serve this view's pages to visitors from the cache (see the module's docstring). Other requests
    (logged in, POST, messages waiting...) reach the view as if the decorator were not there."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _may_share(request):
            return view(request, *args, **kwargs)
        # Before the view can make one: whether the reader came with a CSRF cookie (see _serve).
        carried_secret = request.META.get("CSRF_COOKIE")
        key = page_key(request)
        found = cache.get_many([GENERATION_KEY, key])
        generation = _generation(found.get(GENERATION_KEY))
        page = found.get(key)
        if page is None or page.generation != generation:
            with throwaway_csrf_secret(request) as drawn:
                response = rendered(view(request, *args, **kwargs))
            body, has_token = without_csrf_tokens(response, drawn)
            if not _may_store(request, response, generation):
                return with_csrf_token(request, response, body, has_token or drawn.used)
            page = _store(request, key, generation, response, body, has_token, previous=page)
        return _serve(request, page, carried_secret)

    return wrapper


def _may_share(request):
    """Whether the request's page is everybody's: a visitor's GET or HEAD, with nothing of their own."""
    return (
        settings.FLASKY_PAGE_CACHE_SECONDS > 0
        # Off with read replicas for now: a page read from a replica that lags longer than the
        # read-your-writes window is stored under the new generation (the smoke test's paused replica).
        and not settings.DATABASE_REPLICAS
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not request.session.keys()
        and not len(messages.get_messages(request))
    )


def page_key(request):
    """Everything a visitor's page depends on besides the database."""
    parts = (
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        theme_of(request),  # the page's data-bs-theme and the switch's pressed button
    )
    return PAGE_KEY_PREFIX + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _may_store(request, response, generation):
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Cache-Control")  # the view chose its own caching
        and not response.has_header("Vary")  # it depends on something the key does not hold
        and not request.session.modified
        and not len(messages.get_messages(request))
        and not _replicas_may_lag(generation)
    )


def settled(generation):
    """Whether what is read now may be kept under ``generation`` (a search's results, a composed list, the
    API's page of posts): never with read replicas, for now. A replica may lag longer than any window we
    could wait after a write, and what it returned would be kept under the new generation (for the same
    reason the page cache is off with them: _may_share)."""
    return not settings.DATABASE_REPLICAS


def _replicas_may_lag(generation):
    """With read replicas, a page rendered just after a write may have been read from a replica that has
    not seen it yet: such pages are not stored for FLASKY_READ_YOUR_WRITES_SECONDS after a change."""
    if not settings.DATABASE_REPLICAS:
        return False
    _token, _, made = generation.partition(":")
    try:
        return time.time() - float(made) < settings.FLASKY_READ_YOUR_WRITES_SECONDS
    except ValueError:
        return True


def _store(request, key, generation, response, body, has_token, previous):
    digest = hashlib.sha256(body).hexdigest()[:24]
    now = int(time.time())
    if previous is None:
        last_modified = now
    elif previous.digest == digest:
        last_modified = previous.last_modified  # the same page, rendered again after an unrelated change
    else:
        # Changed within the second it was stored: a client holding that second must not be told 304.
        last_modified = max(now, previous.last_modified + 1)
    page = StoredPage(
        generation=generation,
        body=body,
        headers=tuple((name, response[name]) for name in _KEPT_HEADERS if response.has_header(name)),
        digest=digest,
        last_modified=last_modified,
        has_token=has_token,
    )
    cache.set(key, page, timeout=settings.FLASKY_PAGE_CACHE_SECONDS)
    return page


class _Drawn:
    """The CSRF secret a page was drawn under (``secret``), and whether it asked for a token (``used``)."""

    secret = None
    used = False


@contextmanager
def throwaway_csrf_secret(request):
    """Draw a page to be kept under a CSRF secret of its own, never sent to anyone, then give the request
    its own back: every token in the page is then found by unmasking to that secret (without_csrf_tokens),
    and no text a user wrote into the page can be taken for one (a masked copy of their own secret, in a
    profile or a talk's address, would otherwise become every other reader's token there)."""
    meta, drawn = request.META, _Drawn()
    saved = {name: meta[name] for name in ("CSRF_COOKIE", "CSRF_COOKIE_NEEDS_UPDATE") if name in meta}
    drawn.secret = _get_new_csrf_string()
    meta["CSRF_COOKIE"] = drawn.secret
    meta.pop("CSRF_COOKIE_NEEDS_UPDATE", None)
    try:
        yield drawn
    finally:
        drawn.used = bool(meta.get("CSRF_COOKIE_NEEDS_UPDATE"))
        if meta.get("CSRF_COOKIE") == drawn.secret:  # (a view that rotated the token keeps the new one)
            meta.pop("CSRF_COOKIE", None)
            meta.pop("CSRF_COOKIE_NEEDS_UPDATE", None)
            meta.update(saved)


def without_csrf_tokens(response, drawn):
    """The response's body with every token of the ``drawn`` page's throwaway secret replaced by
    PLACEHOLDER, and whether there was any (a streaming body is not read: b"", False)."""
    if getattr(response, "streaming", True):
        return b"", False
    body = response.content
    if not drawn.used:
        return body, False  # get_token() was never called: the page holds no token
    found = False

    def replace(match):
        nonlocal found
        if _unmask_cipher_token(match.group(0).decode()) == drawn.secret:
            found = True
            return PLACEHOLDER
        return match.group(0)

    return _TOKEN_CANDIDATE.sub(replace, body), found


def rendered(response):
    """``response`` rendered, if it is a TemplateResponse not rendered yet (inside the throwaway secret)."""
    if callable(getattr(response, "render", None)) and not getattr(response, "is_rendered", True):
        response.render()
    return response


def csrf_token(request):
    """The request's CSRF token, as django.middleware.csrf.get_token gives it (the cookie's secret, masked
    afresh, the cookie then sent again; a new secret if there is none), its mask drawn from one read of the
    system's random source instead of one for each of its 32 characters (a tenth of a millisecond of every
    page a member is served from a kept one)."""
    secret = request.META.get("CSRF_COOKIE")
    if not isinstance(secret, str) or len(secret) != CSRF_SECRET_LENGTH or secret.strip(CSRF_ALLOWED_CHARS):
        return get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = _random_chars(CSRF_SECRET_LENGTH)
    count = len(CSRF_ALLOWED_CHARS)
    cipher = "".join(
        CSRF_ALLOWED_CHARS[(_CHAR_INDEX[x] + _CHAR_INDEX[y]) % count]
        for x, y in zip(secret, mask, strict=True)
    )
    return mask + cipher


_CHAR_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
# The largest multiple of the alphabet's size below 256: bytes at or above it are skipped, so each character
# is equally likely (a byte's remainder would favour the first ones).
_FAIR_BYTES = 256 - 256 % len(CSRF_ALLOWED_CHARS)


def _random_chars(length):
    chars = []
    while len(chars) < length:
        chars += [
            CSRF_ALLOWED_CHARS[byte % len(CSRF_ALLOWED_CHARS)]
            for byte in os.urandom(2 * length)
            if byte < _FAIR_BYTES
        ]
    return "".join(chars[:length])


def with_csrf_token(request, response, body, has_token):
    """``response`` with ``body`` (from without_csrf_tokens) as its content, the reader's own token in
    place of the placeholder: the page as drawn for them. ``has_token``: the page asked for a token (then
    the reader's own is made, and its cookie set, even where the page shows none)."""
    if has_token:
        response.content = body.replace(PLACEHOLDER, csrf_token(request).encode())
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
    return response


def _serve(request, page, carried_secret):
    """The stored page as this reader's response, or 304 if their copy is still the page.

    A page with a CSRF token is only the same page for the same CSRF cookie: for a reader who sent one, the
    ETag holds a keyed hash of it, and If-Modified-Since alone (which cannot say whose copy it was) is not
    trusted. A reader without the cookie (a crawler) may revalidate either way; one who keeps cookies gets
    the full page once more with the cookie it was given."""
    etag = page.digest
    last_modified = page.last_modified
    if page.has_token and carried_secret:
        etag += "-" + salted_hmac("flasky_project.pagecache", carried_secret).hexdigest()[:12]
        last_modified = None
    body = page.body
    if page.has_token:
        body = body.replace(PLACEHOLDER, csrf_token(request).encode())
    response = HttpResponse(body)
    for name, value in page.headers:
        response[name] = value
    response["ETag"] = f'W/"{etag}"'
    response["Last-Modified"] = http_date(page.last_modified)
    # Browsers revalidate each time (a change shows on the next request); shared caches keep nothing (the
    # page carries the reader's own CSRF token and cookie).
    patch_cache_control(response, private=True, no_cache=True)
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=last_modified, response=response
    )
