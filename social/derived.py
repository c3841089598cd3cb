"""What is computed from one member's place in the social graph and cached for them (who to follow, for
now), and its forgetting: a follow, block or mute made or ended, however it is made (a view, the API, the
admin, a queryset's delete), forgets the cached values of both members it joins, so a page never shows
someone the reader has just blocked, muted or followed. Apps that cache such a value key it with
``key(user_id, name)``; a value also expires after its own timeout (suspensions and bulk loads).

A block, mute or muted word also changes the account version (accounts.versions) of each member whose view
it changes (both ends of a block, the muter, the word's owner): the API keeps a token's account with what
the visibility rule knows of those (api.tokens), and the next request must read them anew."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from accounts import versions

# Every name cached per member with key(); forget() deletes them all.
NAMES = ("who-to-follow",)


class Blocks:
    """How many blocks, mutes and muted words this process has saved or deleted: what was read about
    someone's blocks, mutes and muted words before a change in the same process (the session user's, read
    at the start of the request: blog.models.ViewerFacts) is no longer used after it."""

    changes = 0


def key(user_id, name):
    return f"social-graph:{user_id}:{name}"


def forget(*user_ids):
    cache.delete_many([key(user_id, name) for user_id in user_ids for name in NAMES])


def connect():
    """Forget both ends of every Follow, Block and Mute saved or deleted (called by SocialConfig.ready)."""
    from social.models import Block, Follow, Mute, MutedWord

    ends = {
        Follow: ("follower_id", "followed_id"),
        Block: ("blocker_id", "blocked_id"),
        Mute: ("muter_id", "muted_id"),
    }
    for model, (one, other) in ends.items():

        def changed(sender, instance, one=one, other=other, **kwargs):
            if sender is not Follow:
                Blocks.changes += 1
                # (a block hides each from the other; a mute changes only the muter's view)
                versions.changed(getattr(instance, one))
                if sender is Block:
                    versions.changed(getattr(instance, other))
            forget(getattr(instance, one), getattr(instance, other))

        post_save.connect(
            changed, sender=model, weak=False, dispatch_uid=f"social-derived-save-{model.__name__}"
        )
        post_delete.connect(
            changed, sender=model, weak=False, dispatch_uid=f"social-derived-delete-{model.__name__}"
        )

    def word_changed(sender, instance, **kwargs):
        Blocks.changes += 1
        versions.changed(instance.user_id)

    post_save.connect(word_changed, sender=MutedWord, weak=False, dispatch_uid="social-derived-save-word")
    post_delete.connect(word_changed, sender=MutedWord, weak=False, dispatch_uid="social-derived-delete-word")
