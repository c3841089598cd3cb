"""The next few talks, for the sidebar of the home and profile pages.

Every page with the sidebar would otherwise pay one query for the same three rows, so the list is cached
for a minute. Per viewer, not site-wide: what a viewer may see depends on whom they block and mute
(post_visibility), and one cached list for everybody would show a blocked speaker's talk. A minute late
is harmless for "coming up"; a cancelled talk disappears at the next refresh.
"""

from django.core.cache import cache

from talks.models import Talk

UPCOMING_CACHE_SECONDS = 60
UPCOMING_LIMIT = 3


def upcoming_talks(viewer, limit=UPCOMING_LIMIT):
    """The next ``limit`` talks ``viewer`` may see, soonest first, with their speakers: a query a minute."""
    key = upcoming_key(viewer, limit)
    talks = cache.get(key)
    if talks is None:
        talks = list(Talk.objects.upcoming().visible_to(viewer).select_related("post__author")[:limit])
        cache.set(key, talks, UPCOMING_CACHE_SECONDS)
    return talks


def upcoming_key(viewer, limit=UPCOMING_LIMIT):
    return f"talks:upcoming:{viewer.pk or 0}:{limit}"
