"""Following, blocking and muting: the one path for views, the API, the admin and commands."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import notifications
from social.models import MUTED_WORDS_MAX_COUNT, Block, Follow, Mute, MutedWord


class CannotFollowSelf(ValidationError):
    pass


class CannotBlockSelf(ValidationError):
    pass


class FollowRefused(PermissionDenied):
    """A block between the two users forbids the follow. The message never says who blocked whom: the
    blocked user is not told."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def follow(*, follower, followed):
    """Make ``follower`` follow ``followed``; True if this started a follow, False if it already existed.

    The unique constraint decides, not a read before the write, so two requests racing to follow end with
    one row and one notification. Raises FollowRefused when either blocks the other.
    """
    if follower.pk == followed.pk:
        raise CannotFollowSelf(_("You can't follow yourself."), code="self_follow")
    if Block.objects.filter(blocker=follower, blocked=followed).exists():
        raise FollowRefused(_("You block this user: unblock them to follow them."))
    if Block.objects.filter(blocker=followed, blocked=follower).exists():
        raise FollowRefused(_("You can't follow this user."))
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


# --- Blocks ---


def block(*, blocker, blocked):
    """Make ``blocker`` block ``blocked`` and end the follows between them, both ways, in one transaction;
    True if this started a block, False if it already existed (blocking twice is harmless)."""
    if blocker.pk == blocked.pk:
        raise CannotBlockSelf(_("You can't block yourself."), code="self_block")
    with transaction.atomic():
        Follow.objects.filter(
            Q(follower=blocker, followed=blocked) | Q(follower=blocked, followed=blocker)
        ).delete()
        _row, created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    return created


def unblock(*, blocker, blocked):
    """End ``blocker``'s block of ``blocked``; True if there was one. The follows it ended stay ended."""
    if blocker.pk == blocked.pk:
        raise CannotBlockSelf(_("You can't unblock yourself."), code="self_unblock")
    deleted, _by_model = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    return deleted > 0


def is_blocked_between(one, other):
    """Whether either user blocks the other (comments and follows between them are refused)."""
    return Block.objects.between(one, other).exists()


# --- Mutes ---

MUTE_MAX_DAYS = 3650


def mute(*, muter, muted, days=None):
    """Make ``muter`` mute ``muted`` for ``days`` (None: for good), replacing an earlier mute's duration.
    Returns the Mute."""
    if muter.pk == muted.pk:
        raise CannotBlockSelf(_("You can't mute yourself."), code="self_mute")
    if days is not None and not 1 <= days <= MUTE_MAX_DAYS:
        raise ValidationError(
            _("A mute lasts from 1 to %(max)d days."), code="mute_days", params={"max": MUTE_MAX_DAYS}
        )
    until = timezone.now() + datetime.timedelta(days=days) if days else None
    with transaction.atomic():
        row, _created = Mute.objects.update_or_create(muter=muter, muted=muted, defaults={"until": until})
    return row


def unmute(*, muter, muted):
    """End ``muter``'s mute of ``muted``; True if there was one (an expired mute counts as none)."""
    if muter.pk == muted.pk:
        raise CannotBlockSelf(_("You can't unmute yourself."), code="self_unmute")
    active = Mute.objects.active().filter(muter=muter, muted=muted).exists()
    Mute.objects.filter(muter=muter, muted=muted).delete()
    return active


def refusing_notifications_from(actor):
    """The ids of the users who refuse notifications caused by ``actor``, as a subquery: those who block or
    mute the actor, and those the actor blocks. Listed on SocialConfig.notification_refusals, read by
    accounts.notifications._accepting (accounts may not import social)."""
    return (
        Block.objects.filter(blocked=actor)
        .values("blocker")
        .union(
            Block.objects.filter(blocker=actor).values("blocked"),
            Mute.objects.active().filter(muted=actor).values("muter"),
            all=True,
        )
    )


# --- Muted words ---


def mute_word(*, user, word):
    """Add a word or phrase to ``user``'s muted words; returns the MutedWord (the existing one when the word
    is already muted, whatever its case). Raises ValidationError for an empty or too long word, or when the
    user has muted as many words as allowed."""
    word = " ".join(str(word).split())
    field = MutedWord._meta.get_field("word")
    if not word:
        raise ValidationError(_("Enter a word or a phrase."), code="empty")
    if len(word) > field.max_length:
        raise ValidationError(
            _("A muted word or phrase has at most %(max)d characters."),
            code="max_length",
            params={"max": field.max_length},
        )
    with transaction.atomic():
        existing = MutedWord.objects.filter(user=user, word__iexact=word).first()
        if existing:
            return existing
        if MutedWord.objects.filter(user=user).count() >= MUTED_WORDS_MAX_COUNT:
            raise ValidationError(
                _("You can mute at most %(max)d words or phrases."),
                code="max_count",
                params={"max": MUTED_WORDS_MAX_COUNT},
            )
        try:
            with transaction.atomic():
                return MutedWord.objects.create(user=user, word=word)
        except IntegrityError:
            return MutedWord.objects.get(user=user, word=word)


def unmute_word(*, user, pk):
    """Remove one of ``user``'s muted words; True if there was one."""
    deleted, _by_model = MutedWord.objects.filter(user=user, pk=pk).delete()
    return deleted > 0
