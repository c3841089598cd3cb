"""What the profile page shows of a user's follows, blocks and mutes (social/_follow_block.html)."""

from django.db.models import Exists, OuterRef, Subquery

from accounts.models import User
from accounts.roles import FOLLOW
from social.models import Block, Follow, Mute

# The relation of a viewer who neither blocks nor mutes the user.
NONE = {"blocks": False, "mutes": False, "muted_until": None}


def follow_context(request, profile_user, *, unrelated=False):
    """What social/_follow_block.html needs: counts, the viewer's relation to the user, the buttons.
    ``unrelated``: the caller knows that the viewer neither blocks nor mutes the user (from what was read
    with the session's user: blog.models.ViewerFacts.unrelated), so the relation needs no query."""
    viewer = request.user
    other = viewer.is_authenticated and viewer.pk != profile_user.pk
    relation = None
    if other:
        relation = dict(NONE) if unrelated else _relation(viewer, profile_user)
    return {
        "follow_stats": Follow.objects.stats(profile_user, viewer),
        "can_follow": other and viewer.has_perm(FOLLOW),
        "relation": relation,
    }


def _relation(viewer, user):
    """Whether ``viewer`` blocks ``user`` and whether (and until when) they mute them, in one query. Whether
    ``user`` blocks the viewer is never shown: the blocked user is not told."""
    mutes = Mute.objects.active().filter(muter=viewer, muted=OuterRef("pk"))
    return (
        User.objects.filter(pk=user.pk)
        .annotate(
            blocks=Exists(Block.objects.filter(blocker=viewer, blocked=OuterRef("pk"))),
            mutes=Exists(mutes),
            muted_until=Subquery(mutes.values("until")[:1]),
        )
        .values("blocks", "mutes", "muted_until")
        .get()
    )
