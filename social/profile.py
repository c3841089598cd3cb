"""What the profile page shows of a user's follows, blocks and mutes (social/_follow_block.html)."""

from django.db.models import Exists, OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from accounts.models import User
from accounts.roles import FOLLOW
from flasky_project import shells
from social.models import Block, Follow, Mute

FOLLOW_BLOCK_TEMPLATE = "social/_follow_block.html"

# The relation of a viewer who neither blocks nor mutes the user.
NONE = {"blocks": False, "mutes": False, "muted_until": None}


def follow_context(request, profile_user, *, unrelated=False, stats=None):
    """What social/_follow_block.html needs: counts, the viewer's relation to the user, the buttons.
    ``unrelated``: the caller knows that the viewer neither blocks nor mutes the user (from what was read
    with the session's user: blog.models.ViewerFacts.unrelated), so the relation needs no query; ``stats``:
    the counts (Follow.objects.stats'), when the caller has them."""
    viewer = request.user
    other = viewer.is_authenticated and viewer.pk != profile_user.pk
    relation = None
    if other:
        relation = dict(NONE) if unrelated else _relation(viewer, profile_user)
    return {
        "follow_stats": stats if stats is not None else Follow.objects.stats(profile_user, viewer),
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


def follow_block(request, profile_user, context):
    """The follow block's HTML for the request's reader (``context``: follow_context's), or, on a page kept
    for readers of a kind (flasky_project.shells), what stands for it there: each reader served the page
    gets their own (talks.views.fill_follow_block, which calls follow_block_for)."""
    html = _draw(profile_user, context, context["csrf_token"])
    return shells.keep_slot("follow", (profile_user.pk, profile_user.username), html)


def follow_block_for(request, data, csrf_token, *, unrelated, memo):
    """The follow block of the profile of the user with ``data``'s id and name (follow_block's), for the
    request's reader: one query for the counts and whether each follows the other, and one for the relation
    unless ``unrelated``, as follow_context. What it draws is kept in the reader's ``memo``
    (flasky_project.shells.Memo: under the page generation, which every follow renews): the counts, and
    the block as drawn when the relation needed no query (its token put back for each request)."""
    pk, username = data
    stats, drawn = memo.kept or (None, None)
    if unrelated and drawn is not None:
        return mark_safe(drawn.replace(_TOKEN, escape(csrf_token)))  # noqa: S308 - drawn by _draw below
    profile_user = User(pk=pk, username=username)
    context = follow_context(request, profile_user, unrelated=unrelated, stats=stats)
    drawn = _draw(profile_user, context, _TOKEN)
    memo.keep((context["follow_stats"], drawn if unrelated else None))
    return mark_safe(drawn.replace(_TOKEN, escape(csrf_token)))  # noqa: S308 - as above


# Where the reader's CSRF token goes in a follow block kept for them (NUL never appears in a page).
_TOKEN = "\x00token\x00"  # noqa: S105 - a marker, not a secret


def _draw(profile_user, context, csrf_token):
    return render_to_string(
        FOLLOW_BLOCK_TEMPLATE,
        {
            "profile_user": profile_user,
            "stats": context["follow_stats"],
            "can_follow": context["can_follow"],
            "relation": context["relation"],
            "csrf_token": csrf_token,
        },
    )
