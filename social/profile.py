"""What the profile page shows of a user's follows (the follow block: social/_follow_block.html)."""

from accounts.roles import FOLLOW
from social.models import Follow


def follow_context(request, profile_user):
    """What social/_follow_block.html needs: counts, the viewer's relation to the user, the button."""
    viewer = request.user
    return {
        "follow_stats": Follow.objects.stats(profile_user, viewer),
        "can_follow": viewer.is_authenticated and viewer.pk != profile_user.pk and viewer.has_perm(FOLLOW),
    }
