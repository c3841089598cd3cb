"""Pages of the list of every post, written once for every caller who sees what a visitor sees.

Most callers block, mute and withhold nothing and moderate nothing: the visibility rule is then the
visitor's (blog.models.post_visibility), and their page of ``GET /api/v1/posts/`` differs from anybody
else's only in each post's ``liked`` and ``bookmarked``. Such a page is kept in the cache as its parts
(each post's shared JSON text and pictures, ``prev``, ``next`` and ``count``) under the site's page
generation (flasky_project.pagecache), which changes on every write to posts, pictures, comments, likes,
talks and people; a caller's request then costs the entry, read in the same round trip as the token's
account, and one query for their own likes and bookmarks of the page's posts (bookmarks are not among the
watched tables, and a like is the caller's own: both are read every time). The page's keys and rows took
two queries, and compiling and assembling them most of the list's time.

What the entry is for is in its key: the address with its query, the host (the headers it is made from)
and scheme (pictures' addresses are absolute), the script prefix, the language and the shape of
PostSerializer. The entry holds the generation and the list's cached count it was written with, and is
used only while both are the current ones (so its ``count`` is what the page would show if written now),
and until the earliest suspension in force ends (the posts of a member whose suspension ends show again
with no write: read when the page is written, one query on the small index of suspended accounts). It
lives FLASKY_PAGE_CACHE_SECONDS (0 turns this off), as the visitors' pages do. A caller who blocks, mutes,
has a post held or hidden, or moderates, and one whose facts are not known (a password's caller), gets the
page written for them alone.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import Min
from django.urls import get_script_prefix
from django.utils import timezone, translation
from rest_framework.response import Response

from accounts.models import User
from accounts.roles import MODERATE
from api import post_cache
from blog.models import Bookmark, Like, Post, ViewerFacts
from flasky_project import pagecache
from flasky_project.pagination import cached_count, count_key

# Bump when an entry's parts change shape (the shape of PostSerializer is in the key already).
VERSION = 1
PREFIX = f"api-posts-page:v{VERSION}:"
COUNT = "posts"  # the list's cached count (flasky_project.pagination.cached_count)


_HOST_SOURCES = ("HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT")


def page_key(request):
    """The cache key of the request's page: everything it depends on but the database (module docstring).
    Made once a request."""
    key = getattr(request, "_api_page_key", None)
    if key is not None:
        return key
    meta = request.META
    parts = (
        request.scheme,
        # What request.get_host() makes the host of (pictures' addresses) from, rather than the host: its
        # check against ALLOWED_HOSTS, made already by the middleware, cost as much as the rest of the key.
        *(meta.get(name, "") for name in _HOST_SOURCES),
        request.get_full_path(),
        get_script_prefix(),
        translation.get_language() or "",
        post_cache.SHAPE,
    )
    request._api_page_key = key = PREFIX + hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return key


def read_ahead(request):
    """The cache keys a token's request reads with its account, in one round trip (api.authentication):
    the list's count, and the generation and page entry when pages are kept."""
    if not settings.FLASKY_PAGE_CACHE_SECONDS:
        return [count_key(COUNT)]
    return [count_key(COUNT), pagecache.GENERATION_KEY, page_key(request)]


def sees_what_visitors_see(user):
    """Whether ``user``'s list of posts is a visitor's: their facts are known and current and name nobody
    they block, mute or are blocked by, no post of theirs is withheld, and they do not moderate."""
    facts = ViewerFacts.of(user)
    return (
        facts is not None
        and facts.unwanted is not None
        and not facts.unwanted
        and not facts.may_have_withheld_posts(user)
        and not user.has_perm(MODERATE)
    )


def post_list_response(request, *, path):
    """``GET /api/v1/posts/``: the requested page of every post the caller may see (Flasky's page: see
    api.pagination.page_response), from the kept page when the caller sees what a visitor sees."""
    found = getattr(request, "read_ahead", None)
    seconds = settings.FLASKY_PAGE_CACHE_SECONDS
    if not seconds or not sees_what_visitors_see(request.user):
        return _written(request, path, found)
    key = page_key(request)
    if not isinstance(found, dict) or key not in found:  # (not read with a token: a session's caller)
        found = cache.get_many(read_ahead(request))
    generation = found.get(pagecache.GENERATION_KEY) or pagecache.generation()
    entry = found.get(key)
    count = cached_count(COUNT, Post.objects.all(), found=found)
    if (
        isinstance(entry, tuple)
        and len(entry) == 7
        and entry[:2] == (generation, count)
        and _current(entry[2])
    ):
        _generation, _count, _until, parts, previous, following, shown = entry
        items = post_cache.assembled(parts, _marks([pk for pk, _shared, _pictures in parts], request.user))
        return Response({"posts": items, "prev": previous, "next": following, "count": shown})
    until = _suspensions_end()  # (before the page is read: a suspension ending meanwhile is after it)
    response = _written(request, path, count=count)
    if pagecache.settled(generation):
        data = response.data
        entry = (generation, count, until, data["posts"].parts, data["prev"], data["next"], data["count"])
        cache.set(key, entry, seconds)
    return response


def _suspensions_end():
    """When the earliest suspension in force ends (None: none is): the one change to what a visitor sees
    that no write makes. A kept page is used only until then (one query, on the small partial index of
    suspended accounts, made when a page is written)."""
    return User.objects.suspended().aggregate(until=Min("suspended_until"))["until"]


def _current(until):
    return until is None or timezone.now() < until


def _written(request, path, found=None, count=None):
    if count is None:
        count = cached_count(COUNT, Post.objects.all(), found=found)
    return post_cache.post_page_response(request, Post.objects.all(), path=path, count=count, name="posts")


def _marks(keys, user):
    """{post key: (liked, bookmarked)} of ``user`` for the posts ``keys`` that they like or bookmarked, in
    one query (both unique indexes lead with what it looks up: the likes' post, the bookmarks' user)."""
    if not keys:
        return {}
    db = Post.objects.db  # (where the page's rows would be read: the primary after the caller's write)
    connection = connections[db]
    quote = connection.ops.quote_name
    marked = ",".join(["%s"] * len(keys))
    selects = [
        f"SELECT {quote(model._meta.get_field('post').column)}, {kind} FROM {quote(model._meta.db_table)}"  # noqa: S608 - names and placeholders only
        f" WHERE {quote(model._meta.get_field('user').column)} = %s"
        f" AND {quote(model._meta.get_field('post').column)} IN ({marked})"
        for kind, model in enumerate((Like, Bookmark))
    ]
    sql = " UNION ALL ".join(selects)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, *keys, user.pk, *keys])
        rows = cursor.fetchall()
    marks = {}
    for post, kind in rows:
        liked, bookmarked = marks.get(post, (False, False))
        marks[post] = (liked or kind == 0, bookmarked or kind == 1)
    return marks
