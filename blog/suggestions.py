"""Who to follow: people followed by the people you follow, then the most followed recently active authors.

It lives in blog, not social: "recently active" means "posted in the last 30 days", and social knows users,
never posts (imports run accounts <- social <- blog). The home page (blog) and the profile page (talks) both
import it.

The costs. The global part (the most followed authors with a post in the last 30 days) counts every follow
of every such author, so it is computed at most once every ten minutes per site and cached (a list of ids,
POPULAR_POOL of them, so a viewer's exclusions still leave enough). The per-viewer part is two queries
or a few more: how many of the viewer's follows follow each candidate (those followed by the people the
viewer follows), then the candidates of the highest count (and of the next while the list is not full,
then the cached pool) minus the exclusions (each a subquery: the viewer,
whom they follow, block, are blocked by or mute, and suspended or inactive accounts), with their follower
counts, read over the follow indexes.
"""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from blog.models import Post
from social import derived
from social.models import Block, Follow, Mute

POPULAR_CACHE_KEY = "who-to-follow:popular"
POPULAR_CACHE_SECONDS = 10 * 60
POPULAR_POOL = 50
RECENT_DAYS = 30
# A viewer's suggestions are kept this long; a follow, block or mute of theirs forgets them at once
# (social.derived), so only a suspension or a newly active author waits for it.
VIEWER_CACHE_SECONDS = 5 * 60
# Candidates of one level of the ranking asked about in one query (see _level).
LEVEL_QUERY_IDS = 2_000
CACHED_COUNT = 5  # as many as the sidebar shows; a longer list is computed (and kept) when asked for


def who_to_follow(user, limit=5):
    """Up to ``limit`` people ``user`` might follow, each with ``follower_count`` (and ``mutual``: how many
    of the people ``user`` follows follow them): those followed by the people ``user`` follows, most such
    followers first, then the most followed recently active authors. Never ``user``, someone they follow,
    block, are blocked by or mute, nor an inactive or suspended account. Three queries (two when the
    global part is cached), one more for each further level of the ranking the list needs, none when the
    viewer's own are (the sidebar of every home and profile page shows
    them); nobody for a visitor."""
    if not user.is_authenticated:
        return []
    cache_key = who_to_follow_key(user)
    people = cache.get(cache_key)
    if people is None or (len(people) == CACHED_COUNT and limit > CACHED_COUNT):
        people = _who_to_follow(user, max(limit, CACHED_COUNT))
        cache.set(cache_key, people, VIEWER_CACHE_SECONDS)
    return people[:limit]


def who_to_follow_key(user):
    return derived.key(user.pk, "who-to-follow")


def _who_to_follow(user, limit):
    """The ranking level by level: how many of the viewer's follows follow each candidate (one query
    grouped over the follows' unique (follower, followed) index), then, from the highest count down, the
    candidates with that count, best first (the pool's order, then the most followed), until the list is
    full; then the pool. One query joining every candidate to all of its followers and counting them
    DISTINCT sorted 115,000 rows on disk for someone following 50 people of a 10,000-member site (500 ms
    on PostgreSQL); this reads the 2,500 follows of the people they follow, and the top level is usually
    enough (a few dozen candidates)."""
    popular = popular_authors()
    followees = Follow.objects.filter(follower=user).values("followed")
    mutual = dict(
        Follow.objects.filter(follower__in=followees)
        .exclude(followed=user.pk)  # (never suggested: no level of them)
        .exclude(followed__in=followees)
        .values_list("followed")
        .annotate(mutual=Count("pk"))
        .order_by()
    )
    levels = {}
    for pk, count in mutual.items():
        levels.setdefault(count, []).append(pk)
    people = []
    for count in sorted(levels, reverse=True):
        found = _level(user, followees, levels[count], popular, limit - len(people))
        for person in found:
            person.mutual = count
        people += found
        if len(people) == limit:
            return people
    rest = [pk for pk in popular if pk not in mutual]
    for person in _candidates(user, followees, rest, popular, limit - len(people)):
        person.mutual = 0
        people.append(person)
    return people


def _level(user, followees, ids, popular, limit):
    """_candidates of a level, LEVEL_QUERY_IDS ids a query (SQLite takes 32,766 parameters a statement; a
    level of someone following thousands of active people can hold more): each part's best, then the best
    of those."""
    if len(ids) <= LEVEL_QUERY_IDS:
        return _candidates(user, followees, ids, popular, limit)
    found = []
    for start in range(0, len(ids), LEVEL_QUERY_IDS):
        found += _candidates(user, followees, ids[start : start + LEVEL_QUERY_IDS], popular, limit)
    rank = {pk: position for position, pk in enumerate(popular)}
    found.sort(key=lambda person: (rank.get(person.pk, len(popular)), -person.follower_count, person.pk))
    return found[:limit]


def _candidates(user, followees, ids, popular, limit):
    """Up to ``limit`` of the people of ``ids`` who may be suggested to ``user``, with ``follower_count``,
    in the pool's order, then the most followed first: never ``user``, someone they follow, block, are
    blocked by or mute, nor an inactive or suspended account."""
    if not ids or limit <= 0:
        return []
    followers = Follow.objects.filter(followed=OuterRef("pk")).order_by().values("followed")
    ranked = set(ids).intersection(popular)
    # The pool's order; no CASE without WHENs (PostgreSQL reads a lone constant as a column position).
    rank = (
        [
            Case(
                *(When(pk=pk, then=Value(position)) for position, pk in enumerate(popular) if pk in ranked),
                default=Value(len(popular)),
                output_field=IntegerField(),
            )
        ]
        if ranked
        else []
    )
    candidates = (
        User.objects.active()
        .filter(pk__in=ids)
        .exclude(pk=user.pk)
        .exclude(pk__in=followees)
        .exclude(pk__in=Block.objects.filter(blocker=user).values("blocked"))
        .exclude(pk__in=Block.objects.filter(blocked=user).values("blocker"))
        .exclude(pk__in=Mute.objects.active().filter(muter=user).values("muted"))
        .exclude(pk__in=User.objects.suspended().values("pk"))
        .annotate(follower_count=Coalesce(Subquery(followers.annotate(count=Count("pk")).values("count")), 0))
        .order_by(*rank, "-follower_count", "pk")
    )
    return list(candidates[:limit])


def popular_authors():
    """The ids of the POPULAR_POOL most followed active, unsuspended people who posted in the last
    RECENT_DAYS days, most followed first; the same for every viewer, so cached for ten minutes."""
    ids = cache.get(POPULAR_CACHE_KEY)
    if ids is None:
        since = timezone.now() - timedelta(days=RECENT_DAYS)
        recent_post = Post.objects.filter(author=OuterRef("pk"), created__gte=since)
        ids = list(
            User.objects.active()
            .filter(Exists(recent_post))
            .exclude(pk__in=User.objects.suspended().values("pk"))
            .annotate(follower_count=Count("followers"))
            .order_by("-follower_count", "pk")
            .values_list("pk", flat=True)[:POPULAR_POOL]
        )
        cache.set(POPULAR_CACHE_KEY, ids, POPULAR_CACHE_SECONDS)
    return ids
