"""Who to follow: people followed by the people you follow, then the most followed recently active authors.

It lives in blog, not social: "recently active" means "posted in the last 30 days", and social knows users,
never posts (imports run accounts <- social <- blog). The home page (blog) and the profile page (talks) both
import it.

The costs. The global part (the most followed authors with a post in the last 30 days) counts every follow
of every such author, so it is computed at most once every ten minutes per site and cached (a list of ids,
POPULAR_POOL of them, so a viewer's exclusions still leave enough). The per-viewer part is one query:
the candidates (followed by those the viewer follows, or in the cached pool), minus the exclusions (each a
subquery: the viewer, whom they follow, block, are blocked by or mute, and suspended or inactive accounts),
with their follower counts and how many of the viewer's follows follow each, read over the follow indexes.
"""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
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
CACHED_COUNT = 5  # as many as the sidebar shows; a longer list is computed (and kept) when asked for


def who_to_follow(user, limit=5):
    """Up to ``limit`` people ``user`` might follow, each with ``follower_count`` (and ``mutual``: how many
    of the people ``user`` follows follow them): those followed by the people ``user`` follows, most such
    followers first, then the most followed recently active authors. Never ``user``, someone they follow,
    block, are blocked by or mute, nor an inactive or suspended account. At most two queries (one when the
    global part is cached), none when the viewer's own are (the sidebar of every home and profile page shows
    them); nobody for a visitor."""
    if not user.is_authenticated:
        return []
    cache_key = derived.key(user.pk, "who-to-follow")
    people = cache.get(cache_key)
    if people is None or (len(people) == CACHED_COUNT and limit > CACHED_COUNT):
        people = _who_to_follow(user, max(limit, CACHED_COUNT))
        cache.set(cache_key, people, VIEWER_CACHE_SECONDS)
    return people[:limit]


def _who_to_follow(user, limit):
    popular = popular_authors()
    followees = Follow.objects.filter(follower=user).values("followed")
    followed_by_followees = Follow.objects.filter(follower__in=followees).values("followed")
    # The pool's order; no CASE without WHENs (PostgreSQL reads a lone constant as a column position).
    rank = (
        [
            Case(
                *(When(pk=pk, then=Value(position)) for position, pk in enumerate(popular)),
                default=Value(len(popular)),
                output_field=IntegerField(),
            )
        ]
        if popular
        else []
    )
    candidates = (
        User.objects.active()
        .filter(Q(pk__in=followed_by_followees) | Q(pk__in=popular))
        .exclude(pk=user.pk)
        .exclude(pk__in=followees)
        .exclude(pk__in=Block.objects.filter(blocker=user).values("blocked"))
        .exclude(pk__in=Block.objects.filter(blocked=user).values("blocker"))
        .exclude(pk__in=Mute.objects.active().filter(muter=user).values("muted"))
        .exclude(pk__in=User.objects.suspended().values("pk"))
        .annotate(
            follower_count=Count("followers", distinct=True),
            mutual=Count("followers", filter=Q(followers__follower__in=followees), distinct=True),
        )
        .order_by("-mutual", *rank, "-follower_count", "pk")
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
