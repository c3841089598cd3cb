"""Kept for members: a logged-in reader's page drawn once for every reader of its kind, under the page
generation, with each reader's own parts filled in per request.

The page cache (flasky_project.pagecache) serves visitors whole pages; a member's page held their name,
their navbar and sidebar, their CSRF token and their likes, so each was drawn afresh: the view's queries,
its forms, its templates, the pager, for every request, although everything else on it was what every
reader of the same kind saw. A view decorated with ``kept_for_members(vary)`` is drawn once per kind and
generation, and the drawing is kept in the cache as a shell: the page as drawn, each reader's part left as
a marker, the NUL-delimited kind pages already use (flasky_project.readahead; NUL never appears in a page):

- the CSRF tokens: the page is drawn under a secret of its own, never sent to anyone, its tokens found by
  unmasking to it (pagecache.throwaway_csrf_secret) and each reader's own put back;
- the navbar and the sidebar (``parts``): drawn for each request by their own template tags, which read
  their cached fragments (flasky_project.fragments) with the request's next trip to the cache;
- the reader's name (``stand_in("name", ...)``, drawn by the template where it shows);
- each list of posts (``keep_slot``): kept composed (blog.cards.compose), its slots filled for each reader
  by the filler its kind registered (``register_filler``): their likes, bookmarks and own posts; and
  likewise a profile's follow block, drawn for each reader from the profile's id and name, and a post's
  comments, each reader's fragments read under their own flags (blog.threads.fill_kept_comments). A
  filler that cannot make a reader's page raises Redraw (the view draws it); ``refuse_for`` names readers
  a page is never shown to (a post's author).

The key holds what the page depends on: the address with its query, host, scheme and script prefix, the
language, time zone and theme, the site's code (templates, Python, pinned requirements), and what
``vary(request)`` says of the reader (for the home page: which timeline, whether they may write, the kind
of list they read, and the identity of the visibility rule they read through, blog.models.rule_identity:
every member who blocks and mutes nobody shares one; a Followed timeline adds the reader's id). ``vary``
returning None draws the page every time. Only a GET with no message waiting is served from a shell or
kept, only a 200 that set no cookie and left the session and the messages alone is kept, and never with
read replicas (pagecache.settled). A new generation (any write to what pages show) is a miss: the view
runs and keeps the page again.
"""

import functools
import hashlib
import re
import secrets
from contextvars import ContextVar
from functools import cache as memoize
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.template import Engine, RequestContext
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

from flasky_project import pagecache, readahead
from flasky_project.theme import theme_of

# Bump when what a shell holds changes shape (the site's code is in the key on its own: _version).
FORMAT = "2"
KEY_PREFIX = "shell:v1:"
_KEPT_HEADERS = ("Content-Type",)

# The parts drawn per request, by name: the template tag that draws each (flasky_project.templatetags.layout).
NAVBAR = "{% navbar %}"

_keeping = ContextVar("flasky_shell", default=None)
_FILLERS = {}
_READER_GENERATIONS = {}
# A kept page's markers (its nonce, the marker's name) and the CSRF token's placeholder, found in one pass.
_MARKERS = re.compile(rb"\x00(?:shell:([0-9a-f]{16}):(\w+)|csrf)\x00")


class Redraw(Exception):  # noqa: N818 - an instruction, not an error
    """Raised by a filler: this reader's page cannot be made from the shell (what it keeps is not theirs, or
    a fragment it reads is gone); the view draws it for them."""


class _Keeping:
    """A page being drawn to be kept: the markers' nonce, the reader's values stood in for, the slots, the
    readers it must not be shown to."""

    __slots__ = ("nonce", "values", "slots", "refused")

    def __init__(self):
        self.nonce = secrets.token_hex(8)
        self.values, self.slots, self.refused = {}, [], set()

    def marker(self, what):
        return f"\x00shell:{self.nonce}:{what}\x00"


class Shell:
    """A kept page: its ``body`` (bytes, the markers in it), the ``nonce`` of its markers, the ``parts`` it
    draws per request (name: template), its ``slots`` ((kind, data) for their fillers), its headers."""

    __slots__ = ("generation", "body", "nonce", "parts", "slots", "headers", "refused")

    def __init__(self, generation, body, nonce, parts, slots, headers, refused=frozenset()):
        self.generation, self.body, self.nonce = generation, body, nonce
        self.parts, self.slots, self.headers, self.refused = parts, slots, headers, refused

    def __getstate__(self):
        return (self.generation, self.body, self.nonce, self.parts, self.slots, self.headers, self.refused)

    def __setstate__(self, state):
        self.generation, self.body, self.nonce, self.parts, self.slots, self.headers, self.refused = state


def register_filler(kind, fill):
    """``fill(request, data, csrf_token, memo)`` draws a kept part of ``kind`` for the request's reader
    (``data``: what keep_slot kept; ``memo``: what it kept for this reader of this page, a Memo). Called by
    apps' ready()."""
    _FILLERS[kind] = fill


def keeping():
    """Whether the page being drawn is to be kept (then slots and names go in as markers)."""
    return _keeping.get() is not None


def stand_in(name, value):
    """``value``, or while the page is being kept, the marker that stands for it: it is escaped and put
    back for this request and each reader served the shell gets their own (only "name": the reader's
    username)."""
    scope = _keeping.get()
    if scope is None:
        return value
    scope.values[name] = value
    return mark_safe(scope.marker(name))  # noqa: S308 - a marker of our own, replaced before the response leaves


def refuse_for(user_id):
    """While the page is being kept: never show it to the user ``user_id`` (a post's author, whose page
    offers what their readers' does not); if they are the one it is drawn for, it is not kept."""
    scope = _keeping.get()
    if scope is not None:
        scope.refused.add(user_id)


def keep_slot(kind, data, html):
    """While the page is being kept: a part of ``kind`` (a list of posts, a profile's follow block) drawn
    as ``html`` for this reader, kept as ``data`` for the others (see register_filler); returns the marker
    that stands for it. Else ``html``."""
    scope = _keeping.get()
    if scope is None:
        return html
    scope.slots.append((kind, data, html))
    return mark_safe(scope.marker(f"slot{len(scope.slots) - 1}"))  # noqa: S308 - our own marker


def kept_for_members(vary, *, parts=None, context=None):
    """Keep the view's pages for members (see the module's docstring). ``vary(request, *args, **kwargs)``:
    what the page depends on of the reader besides what every key holds, or None to draw it each time.
    ``parts``: name -> the template tag that draws it ({"sidebar": "{% sidebar ... %}"}; the navbar is
    always one); ``context(request)``: what those tags read that the context processors do not give."""
    parts = {"navbar": NAVBAR, **(parts or {})}

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _may_keep(request):
                return view(request, *args, **kwargs)
            varies = vary(request, *args, **kwargs)
            if varies is None:
                return view(request, *args, **kwargs)
            key = _key(request, varies)
            reader_key = _reader_key(key, request.user.pk)
            # The reader's parts first: their fragments' keys ride with the shell's trip to the cache, as do
            # what the fillers kept for this reader and the generations it was kept under.
            csrf_token = pagecache.csrf_token(request)
            parts_html = _draw_parts(request, parts, context, csrf_token)
            found = cache.get_many([pagecache.GENERATION_KEY, key, reader_key, *_READER_GENERATIONS])
            generation = found.get(pagecache.GENERATION_KEY) or pagecache.generation()
            shell = found.get(key)
            if shell is not None and shell.generation == generation and shell.parts == parts:
                if request.user.pk in shell.refused:
                    return view(request, *args, **kwargs)
                try:
                    return _serve(request, shell, parts_html, csrf_token, _Memos(found, reader_key, shell))
                except Redraw:
                    return view(request, *args, **kwargs)
            keeping_token = _keeping.set(_Keeping())
            try:
                # (under a CSRF secret of its own: pagecache.throwaway_csrf_secret)
                with pagecache.throwaway_csrf_secret(request) as drawn:
                    response = pagecache.rendered(view(request, *args, **kwargs))
                scope = _keeping.get()
            finally:
                _keeping.reset(keeping_token)
            return _kept(request, response, scope, drawn, key, generation, parts)

        return wrapper

    return decorate


def _may_keep(request):
    return (
        settings.FLASKY_PAGE_CACHE_SECONDS > 0
        and not settings.DATABASE_REPLICAS
        and request.method == "GET"
        and request.user.is_authenticated
        and not len(messages.get_messages(request))
    )


def _key(request, varies):
    words = repr(
        (
            FORMAT,
            _version(),
            # (the settings that change how a page draws people and files, which no code digest holds)
            settings.FLASKY_GRAVATAR,
            settings.MEDIA_URL,
            settings.STATIC_URL,
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            get_script_prefix(),
            get_language(),
            get_current_timezone_name(),
            theme_of(request),
            varies,
        )
    )
    return KEY_PREFIX + hashlib.blake2b(words.encode(), digest_size=16).hexdigest()


def _kept(request, response, scope, drawn, key, generation, parts):
    """The view's ``response`` for this request, its markers filled and its tokens the reader's own (once
    the read-ahead has put the deferred parts in, which the view drew with the same throwaway secret); kept
    as a shell when it may be."""
    if getattr(response, "streaming", True):
        return response
    shell_body, _has_token = pagecache.without_csrf_tokens(response, drawn)
    own = re.compile(rb"\x00shell:" + scope.nonce.encode() + rb":(\w+)\x00")
    values = {name.encode(): escape(value).encode() for name, value in scope.values.items()}
    values.update(
        (f"slot{index}".encode(), html.encode()) for index, (_k, _d, html) in enumerate(scope.slots)
    )
    response.content = own.sub(lambda match: values.get(match[1], b""), response.content)

    def own_tokens(response):
        body, has_token = pagecache.without_csrf_tokens(response, drawn)
        pagecache.with_csrf_token(request, response, body, has_token or drawn.used)

    if not readahead.at_end(own_tokens):
        own_tokens(response)
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
    if _may_store(request, response, generation, scope):
        shell = _shell(shell_body, scope, generation, parts, response)
        if shell is not None:
            cache.set(key, shell, timeout=settings.FLASKY_PAGE_CACHE_SECONDS)
    return response


def _may_store(request, response, generation, scope):
    return (
        request.user.pk not in scope.refused
        and response.status_code == 200
        and not response.cookies
        and not response.has_header("Cache-Control")
        and not response.has_header("Vary")
        and not request.session.modified
        and not len(messages.get_messages(request))
        and pagecache.settled(generation)
    )


def _shell(body, scope, generation, parts, response):
    """The shell of ``body`` (the page as the view drew it, its CSRF tokens already the page cache's
    placeholder): its deferred parts as markers naming them. None unless each of ``parts`` stands in it
    once, as a deferred part (a part drawn inline would hold its reader's own), and every part and list
    has a known name and filler: the page is then drawn each time."""
    deferred = readahead.deferred_parts()
    if deferred is None:
        return None
    pattern, names = deferred
    seen = []

    def name_part(match):
        index = int(match[1])
        name = names[index] if index < len(names) else ""
        seen.append(name)
        return scope.marker(f"part_{name}").encode()

    body = pattern.sub(name_part, body)
    if sorted(seen) != sorted(parts) or any(kind not in _FILLERS for kind, _data, _html in scope.slots):
        return None
    slots = [(kind, data) for kind, data, _html in scope.slots]
    headers = tuple((name, response[name]) for name in _KEPT_HEADERS if response.has_header(name))
    return Shell(generation, body, scope.nonce, parts, slots, headers, frozenset(scope.refused))


def _draw_parts(request, parts, context, token):
    """The reader's ``parts`` of a page, as their template tags draw them (markers the read-ahead fills in
    once the response is made: flasky_project.readahead.later): {b"part_name": HTML}."""
    values = RequestContext(request)
    # (above the context processors' values, which would mask the token afresh)
    values.update({**(context(request) if context is not None else {}), "csrf_token": token})
    drawn = _parts_template(tuple(parts.items())).render(values)
    return {
        f"part_{name}".encode(): html.encode()
        for name, html in zip(parts, drawn.split(_SEPARATOR), strict=True)
    }


def _serve(request, shell, parts_html, token, memos):
    """``shell`` as this reader's page: their token, name, slots and parts (``parts_html``), in one pass
    over the kept page."""
    values = {b"name": escape(request.user.username).encode(), **parts_html}
    for index, (kind, data) in enumerate(shell.slots):
        values[f"slot{index}".encode()] = str(_FILLERS[kind](request, data, token, memos[index])).encode()
    memos.keep()
    nonce, token = shell.nonce.encode(), token.encode()

    def fill(match):
        if match[1] is None:
            return token
        return values.get(match[2], b"") if match[1] == nonce else match[0]

    response = HttpResponse(_MARKERS.sub(fill, shell.body))
    for name, value in shell.headers:
        response[name] = value
    return response


class Memo:
    """What a filler kept for the request's reader in one slot of one shell (``kept``: None when nothing
    is, or it was kept under other generations); ``keep(value)`` keeps ``value`` for their next request."""

    __slots__ = ("kept", "value")

    def __init__(self, kept):
        self.kept = self.value = kept

    def keep(self, value):
        self.value = value


class _Memos:
    """The request's reader's memos of a shell's slots, read with the shell (``found``): kept under the
    shell's nonce, the page generation and the reader generations (register_reader_generation); written
    back when a filler kept something new."""

    def __init__(self, found, key, shell):
        self.key = key
        self.stamp = (
            shell.nonce,
            shell.generation,
            *(current(found) for current in _READER_GENERATIONS.values()),
        )
        entry = found.get(key)
        self.kept = (
            entry[1] if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == self.stamp else {}
        )
        self.memos = {}

    def __getitem__(self, index):
        memo = self.memos[index] = Memo(self.kept.get(index))
        return memo

    def keep(self):
        values = {index: memo.value for index, memo in self.memos.items() if memo.value is not None}
        if values != self.kept and pagecache.settled(self.stamp[1]):
            cache.set(self.key, (self.stamp, values), timeout=settings.FLASKY_PAGE_CACHE_SECONDS)


def register_reader_generation(key, current):
    """What fillers keep for a reader (Memo) is kept under the page generation and under the generation in
    the cache at ``key`` too (``current(found)``: its value, from what the request read, made if none): for
    what a reader's part depends on that the page generation does not watch (their bookmarks:
    blog.marks). Called by apps' ready()."""
    _READER_GENERATIONS[key] = current


def _reader_key(key, user_pk):
    return f"{KEY_PREFIX}reader:{user_pk}:{key.removeprefix(KEY_PREFIX)}"


_SEPARATOR = "\x00part\x00"


@memoize
def _parts_template(parts):
    source = "{% load layout %}" + _SEPARATOR.join(tag for _name, tag in parts)
    return Engine.get_default().from_string(source)


def _version():
    """The site's templates and Python code and its pinned requirements as one digest: a deploy that
    changes anything misses every shell (the parts of a page drawn by code, a form's fields, are then drawn
    again). Once a process; each time in DEBUG, where files are edited while it runs."""
    if settings.DEBUG:
        return _compute_version()
    return _cached_version()


def _compute_version():
    digest = hashlib.blake2b(digest_size=16)
    base = Path(settings.BASE_DIR)
    files = [(directory, path) for directory in _template_directories() for path in directory.rglob("*.html")]
    for app in _site_apps():
        files += [(base, path) for path in app.rglob("*.py") if "tests" not in path.relative_to(app).parts]
    files += [(base, path) for path in base.glob("requirements*.txt")]
    for directory, path in sorted(files, key=lambda pair: str(pair[1])):
        digest.update(str(path.relative_to(directory)).encode() + b"\x00" + path.read_bytes())
    return digest.hexdigest()


@memoize
def _cached_version():
    return _compute_version()


def _site_apps():
    """The directories of the site's own apps (not the installed packages')."""
    from django.apps import apps  # noqa: PLC0415 - only when first asked

    base = Path(settings.BASE_DIR)
    return sorted(
        {
            Path(config.path)
            for config in apps.get_app_configs()
            if base in Path(config.path).parents and "site-packages" not in Path(config.path).parts
        }
    )


def _template_directories():
    directories = [Path(directory) for engine in settings.TEMPLATES for directory in engine.get("DIRS", ())]
    directories += [app / "templates" for app in _site_apps() if (app / "templates").is_dir()]
    return directories
