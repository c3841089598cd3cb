"""Following and unfollowing: the one path for views, the API, the admin and commands."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts import notifications
from social.models import Follow


class CannotFollowSelf(ValidationError):
    pass


def follow(*, follower, followed):
    """Make ``follower`` follow ``followed``; True if this started a follow, False if it already existed.

    The unique constraint decides, not a read before the write, so two requests racing to follow end with
    one row and one notification.
    """
    if follower.pk == followed.pk:
        raise CannotFollowSelf(_("You can't follow yourself."), code="self_follow")
    try:
        with transaction.atomic():
            row = Follow.objects.create(follower=follower, followed=followed)
    except IntegrityError:
        return False
    # Queued with the follow: the email goes out once the transaction commits (see enqueue_after_commit).
    notifications.new_follower(follower=follower, followed=followed, follow=row)
    return True


def unfollow(*, follower, followed):
    """Stop ``follower`` following ``followed``; True if there was a follow to end."""
    if follower.pk == followed.pk:
        raise CannotFollowSelf(_("You can't unfollow yourself."), code="self_unfollow")
    deleted, _by_model = Follow.objects.filter(follower=follower, followed=followed).delete()
    return deleted > 0
