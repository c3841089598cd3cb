"""A version of each account, kept in the shared cache, that changes whenever the account does.

Copies of an account kept for speed (the API's callers by token: api.tokens) are stored with the version
they were read under, and a copy is used only while its version is still the account's: any change to the
account voids every copy at once, with nothing to find or delete. Saving or deleting a user changes it (the
receivers in accounts.apps), and so must every change made with a bulk UPDATE (moderation's suspensions,
the administrators' promotion at deploy): call ``changed`` there.

A version is random, not a counter: if the cache loses it, the next one read is new, and no copy kept under
the lost one can match it again.
"""

import uuid

from django.core.cache import cache
from django.db import transaction


def key(user_pk):
    """The cache key of the account's version (read it together with a copy, in one round trip)."""
    return f"user-version:{user_pk}"


def current(user_pk):
    """The account's version now (a new one when the cache holds none)."""
    cache.add(key(user_pk), uuid.uuid4().hex, None)
    return cache.get(key(user_pk))


def changed(user_pk):
    """The account changed: every copy kept under its former version is void, now and again when the
    transaction commits (a copy read meanwhile, from the database before the commit, is void too)."""

    def renew():
        cache.set(key(user_pk), uuid.uuid4().hex, None)

    renew()
    transaction.on_commit(renew)


def user_saved_or_deleted(sender, instance, **kwargs):
    """A receiver of post_save and post_delete of the user model."""
    if instance.pk is not None:
        changed(instance.pk)
