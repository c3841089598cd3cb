"""Rendered once a generation: a page's list of posts, composed for every reader of its kind.

Under the site's page generation (flasky_project.pagecache: any write to posts, comments, likes, people,
tags, follows or talks makes a new one) the list of the same posts draws the same HTML for every reader of
the same kind (``shape``): the page's language, whether they are a member, whether their role lets them
like, whether it lets them edit anyone's post, and no word muted (what the rows read of the viewer). So
the list composed by blog.cards.compose (the reader's parts left as slots: liked, bookmarked, their own
post, the CSRF token, ``next``) is kept once under the page's keys and that shape, with the generation it
was read under and each post's author. A reader of the kind whose keys query (still run for each reader:
blocks, mutes and follows choose the keys) names the same posts gets it with the generation in one
multi-get, and the page skips the rows query, the model instances, the cards' digests and multi-get and the
composing: their likes and bookmarks (the one query every logged-in list runs) and their id fill the slots.

Nothing of one reader is kept: the slots are filled per request, and a reader whose rows would read them
(a muted word, or facts the session could not read) takes the whole path each time. A new generation is a
miss: the path runs and keeps the list again. Entries live FLASKY_PAGE_CACHE_SECONDS (0 turns this off, as
it turns off the page cache: a generation needs a cache every process shares).

At 100,000 posts (bench/profile_api.py, process CPU per request, five interleaved rounds against the code
before, medians; a loaded machine): a logged-in home page (All) 11.4 → 9.2 ms, the Followed timeline
14.3 → 11.6 ms; in one process, alternating with the whole path, All -18%, Followed -26%, a busy profile
-10% (its other queries are most of it). Rows as tuples or a digest over fewer fields would have saved
the instances (about 0.5 ms) and part of the digests, keeping the rows query, the cards' multi-get and the
composing: less than half of this.
"""

import hashlib
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.translation import get_language

from accounts.roles import ADMIN, FOLLOW, WRITE
from blog import cards, translation
from blog.models import may_mute_words, rule_identity
from flasky_project import pagecache

# Bump when what an entry holds changes shape (blog.cards.compose's slots, or what a key names).
FORMAT = "1"
KEY_PREFIX = "composed:posts:v1:"


def shape(viewer):
    """What a list of posts depends on of ``viewer`` besides their likes, bookmarks and id: (language,
    member, may like, may edit anyone's post, whether translations are offered); None when their list
    cannot be shared (the cache is off, or the rows read their muted words)."""
    if settings.FLASKY_PAGE_CACHE_SECONDS <= 0 or may_mute_words(viewer):
        return None
    member = viewer.is_authenticated
    may_like, edits_others = member and viewer.has_perm(FOLLOW), member and viewer.has_perm(ADMIN)
    # (whether Translate is offered at all is a setting: a process set otherwise keeps its own lists)
    return (get_language(), member, may_like, edits_others, translation.is_enabled())


def reader_kind(viewer):
    """The kind of reader ``viewer`` is for a page kept whole (flasky_project.shells): the shape of the
    lists they read and the identity of the visibility rule they read through
    (blog.models.rule_identity); None when either cannot be shared."""
    kind, rule = shape(viewer), rule_identity(viewer)
    if kind is None or rule is None:
        return None
    return (kind, rule, viewer.has_perm(WRITE))


class ListedPost:
    """A post of a composed list: what filling its slots reads (set by blog.listing), in place of the
    model instance that the list no longer needs to build."""

    __slots__ = (
        "pk",
        "author_id",
        "viewer_is_author",
        "viewer_liked",
        "viewer_bookmarked",
        "viewer_can_like",
        "viewer_can_bookmark",
    )

    # (a list shared by readers of a kind folds no post behind a muted word: see shape)
    muted_word = ""

    def __init__(self, pk, author_id):
        self.pk, self.author_id = pk, author_id


class PostList(list):
    """A page's posts as blog/_posts.html draws them: ``composed`` (a blog.cards.ComposedList) when the
    list came from the cache, else ``keep(composed)`` to keep the one drawn, when it may be shared;
    ``edits_others``, the shape's, for composing it."""

    composed = None
    keep = None
    edits_others = False


class Lookup:
    """One page's list: ``rows(keys)`` for flasky_project.pagination.window, ListedPosts from the cache when
    the list of ``keys`` is kept for the viewer's shape (``composed`` set), else ``read(keys)`` (the model
    instances), with ``keep`` set when what is drawn from them may be kept."""

    def __init__(self, viewer, read):
        self.shape = shape(viewer)
        self.read = read
        self.composed = None
        self.keep = None

    def rows(self, keys):
        if self.shape is None:
            return self.read(keys)
        keys = list(keys)
        key = _key(keys, self.shape)
        found = cache.get_many([pagecache.GENERATION_KEY, key])
        # Read before the rows, so the rows are at least as new as the generation they are kept under.
        generation = found.get(pagecache.GENERATION_KEY) or pagecache.generation()
        entry = found.get(key)
        if entry is not None and entry[0] == generation and entry[1] == keys:
            _generation, _keys, authors, composed = entry
            self.composed = composed
            return [ListedPost(pk, author) for pk, author in zip(keys, authors, strict=True)]
        posts = self.read(keys)
        if pagecache.settled(generation):
            self.keep = _Keeper(key, generation, keys, posts)
        return posts

    def page_posts(self, posts):
        """``posts`` (the page's, in order) as a PostList for blog/_posts.html."""
        posts = PostList(posts)
        posts.composed = self.composed
        if self.keep is not None:
            self.keep.posts = posts
            posts.keep = self.keep
        posts.edits_others = self.shape is not None and self.shape[3]
        return posts


class _Keeper:
    """Keeps the list drawn from ``posts`` under ``key``: only a whole page (a post deleted between the
    keys and the rows would leave a hole another reader's same keys never have)."""

    def __init__(self, key, generation, keys, posts):
        self.key, self.generation, self.keys = key, generation, keys
        self.posts = posts

    def __call__(self, composed):
        if [post.pk for post in self.posts] != self.keys:
            return
        authors = [post.author_id for post in self.posts]
        entry = (self.generation, self.keys, authors, composed)
        cache.set(self.key, entry, timeout=settings.FLASKY_PAGE_CACHE_SECONDS)


def _key(keys, shape):
    words = repr((_version(), shape, keys))
    return KEY_PREFIX + hashlib.blake2b(words.encode(), digest_size=16).hexdigest()


def _version():
    """The code and templates that draw a list (the cards', and the translate form the list puts beside
    them) as one digest: a deploy that changes how a list looks misses. Once a process (each time in DEBUG,
    where templates are edited while the server runs)."""
    if settings.DEBUG:
        return _compute_version()
    return _cached_version()


def _compute_version():
    source = get_template(cards.TRANSLATE_TEMPLATE).template.source
    return cards._digest([FORMAT, cards.FORMAT, cards._templates_digest(), source])


@memoize
def _cached_version():
    return _compute_version()
