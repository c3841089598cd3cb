"""Rendered once per reader: the layout's parts that differ per reader (the navbar, the sidebar), cached.

A logged-in page cannot come whole from the page cache, but most of what its layout draws changes seldom:
the reader's menu, their counts, the people to follow, their tags, the talks coming up. Each such part is
kept in the cache under a digest of everything it shows (the reader's id, name and avatar, the counts, the
suggestions, the page's section, theme, language and time zone, and the sources of its templates), exactly
as blog.cards keys the post cards: any change that alters the fragment is a new key, so there is no
invalidation code to forget, and a rename, a new avatar, a follow or a notification shows on the next
request. The reader's id is part of every key, so one reader's fragment is never another's.

What changes on every request (the CSRF token, the page's own address and search words) is never stored:
the fragment is rendered with placeholders in their place and each response gets its own values, escaped
as the template would have escaped them.
"""

import hashlib
import re
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from flasky_project import readahead

# Bump when Python code that feeds a fragment changes what it draws; the templates' sources are in the key.
FORMAT = "1"


_PLACEHOLDER = re.compile("\x00fragment:(\\w+)\x00")


def placeholder(name):
    """What stands in a stored fragment for the per-request value ``name``: NUL never appears in a page."""
    return f"\x00fragment:{name}\x00"


def cached_fragment(name, templates, parts, context, fills):
    """The HTML of ``templates[0]`` rendered with ``context`` (a dict: everything the template reads), from
    the cache under a digest of ``parts`` (everything it shows that ``context`` holds; the language and
    the templates' sources are added here), with each of ``fills`` (name: value, per request) put where
    the template drew its placeholder. ``templates``: the template and every template it includes."""
    key = f"fragment:{name}:{_digest([FORMAT, _templates_digest(templates), get_language(), *parts])}"

    def finish(html):
        if html is None:
            html = _render(templates, context, fills)
            cache.set(key, html, timeout=settings.FLASKY_FRAGMENT_CACHE_SECONDS)
        return _filled(html, fills)

    # A logged-in reader's is read with the page's next trip to the cache (its post cards'), or with the
    # other fragments once the page is drawn: the navbar and the sidebar were a round trip each.
    deferred = readahead.later(key, finish, name)
    return deferred if deferred is not None else finish(cache.get(key))


# What rendered_once keeps: a handful of entries a language (a fragment and its few variants), so the bound
# is only there should a caller ever key by something unbounded.
_ONCE = {}
ONCE_MAX_ENTRIES = 256


def rendered_once(name, templates, context, fills, parts=()):
    """Like ``cached_fragment``, for HTML that is the same for every reader of a language but for
    ``fills`` (the footer, a blank form): rendered once a process and kept in its memory under the
    templates' sources, the language and ``parts`` (the variants: whether the page has a CSRF token, ...).
    There is nothing of one reader to store and little to keep, so not even the cache's round trip is paid:
    the footer's template cost 0.5 ms of every page, the blank post form's 1 ms (0.3 ms of it reading its
    fields from Redis). A deploy restarts the processes; in DEBUG an edited template is a new key."""
    # (the script prefix: the addresses inside are reversed under it)
    key = (name, _templates_digest(tuple(templates)), get_language(), get_script_prefix(), *parts)
    return _filled(kept(key, lambda: _render(templates, context, fills)), fills)


def kept(key, draw):
    """What ``draw()`` returned the first time this process asked for ``key`` (a tuple that holds
    everything it depends on), kept in memory: rendered_once's and {% once %}'s store."""
    html = _ONCE.get(key)
    if html is None:
        html = draw()
        if len(_ONCE) >= ONCE_MAX_ENTRIES:
            _ONCE.clear()
        _ONCE[key] = html
    return html


def _render(templates, context, fills):
    return get_template(templates[0]).render({**context, **{fill: placeholder(fill) for fill in fills}})


def _filled(html, fills):
    """``html`` with each placeholder replaced by its fill, escaped as the template would have escaped it.
    In one pass, so that a fill's own text (the search words are the reader's) is never read for another
    placeholder: "?q=%00fragment:csrf_token%00" must not draw the token into the search box."""
    if not fills:
        return mark_safe(html)  # noqa: S308 - rendered by our own template
    escaped = {fill: str(conditional_escape(value)) for fill, value in fills.items()}
    html = _PLACEHOLDER.sub(lambda match: escaped.get(match[1], match[0]), html)
    return mark_safe(html)  # noqa: S308 - rendered by our own template, the fills escaped as it escapes them


def _digest(parts):
    # A separator no field can hold, so that ("ab", "c") and ("a", "bc") never share a key.
    text = "\x1f".join(str(part) for part in parts)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _templates_digest(templates):
    """The sources of ``templates`` as one digest: a deploy that changes how a fragment looks changes its
    keys. Once a process (each time in DEBUG, where templates are edited while the server runs)."""
    if settings.DEBUG:
        return _compute_templates_digest(templates)
    return _cached_templates_digest(templates)


def _compute_templates_digest(templates):
    return _digest([get_template(name).template.source for name in templates])


@memoize
def _cached_templates_digest(templates):
    return _compute_templates_digest(templates)
