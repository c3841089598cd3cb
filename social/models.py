"""Who follows whom, who blocks and mutes whom, and the words people mute."""

import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import connections, models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from flasky_project import dates


class FollowQuerySet(models.QuerySet):
    def followers_of(self, user):
        """Rows whose follower follows ``user``, newest first, with the follower loaded in the same query."""
        return self.filter(followed=user).select_related("follower").order_by("-created", "-pk")

    def followed_by(self, user):
        """Rows of the users ``user`` follows, newest first, with them loaded in the same query."""
        return self.filter(follower=user).select_related("followed").order_by("-created", "-pk")

    def stats(self, user, viewer=None):
        """Follower and following counts of ``user``, and whether ``viewer`` follows them and they follow
        ``viewer``: one query over the two indexes that start with the user. Written out rather than built
        with the ORM on each request (an aggregate of four filtered counts cost more to build and compile
        than to run, on every profile page); the table and column names come from the model."""
        viewer_id = viewer.pk if viewer is not None and viewer.is_authenticated else None
        connection = connections[self.db]
        name = connection.ops.quote_name
        options = self.model._meta
        followed = name(options.get_field("followed").column)
        follower = name(options.get_field("follower").column)
        sql = (
            f"SELECT COUNT(CASE WHEN {followed} = %s THEN 1 END),"  # noqa: S608 - the model's names
            f" COUNT(CASE WHEN {follower} = %s THEN 1 END),"
            f" COUNT(CASE WHEN {followed} = %s AND {follower} = %s THEN 1 END),"
            f" COUNT(CASE WHEN {follower} = %s AND {followed} = %s THEN 1 END)"
            f" FROM {name(options.db_table)} WHERE {followed} = %s OR {follower} = %s"
        )
        # (A visitor's id is NULL, which equals nothing: they follow nobody and nobody follows them.)
        params = [user.pk, user.pk, user.pk, viewer_id, user.pk, viewer_id, user.pk, user.pk]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return dict(zip(("followers", "following", "viewer_follows", "follows_viewer"), row, strict=True))


class Follow(models.Model):
    """``follower`` follows ``followed`` since ``created``. Nobody follows themselves: the Followed timeline
    adds your own posts in its query, so counts need no "minus one"."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="following",
        verbose_name=_("follower"),
    )
    followed = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="followers",
        verbose_name=_("followed"),
    )
    created = dates.DateTimeField(_("since"), default=timezone.now)

    # Unfollowing deletes the "new follower" notification it caused (accounts.Notification).
    notifications = GenericRelation(
        "accounts.Notification", content_type_field="target_type", object_id_field="target_id"
    )

    objects = FollowQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            # Also the index for "whom does X follow" lookups and the Followed timeline's join.
            models.UniqueConstraint(fields=["follower", "followed"], name="social_follow_unique"),
            models.CheckConstraint(
                condition=~Q(follower=models.F("followed")), name="social_follow_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["followed", "-created"], name="social_follow_followers_idx"),
            models.Index(fields=["follower", "-created"], name="social_follow_following_idx"),
        ]

    def __str__(self):
        return f"{self.follower} → {self.followed}"


class BlockQuerySet(models.QuerySet):
    def by(self, user):
        """The people ``user`` blocks, newest first, with them loaded in the same query."""
        return self.filter(blocker=user).select_related("blocked").order_by("-created", "-pk")

    def between(self, one, other):
        """The block between two users, whichever way it goes."""
        return self.filter(Q(blocker=one, blocked=other) | Q(blocker=other, blocked=one))


class Block(models.Model):
    """``blocker`` blocks ``blocked``: neither sees the other's posts and comments, the blocked user can't
    follow the blocker, comment on their posts or notify them, and is not told."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocking", verbose_name=_("blocker")
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="blocked_by",
        verbose_name=_("blocked user"),
    )
    created = dates.DateTimeField(_("since"), default=timezone.now)

    objects = BlockQuerySet.as_manager()

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            # Also the index for "whom does X block", which the visibility rule reads on every list.
            models.UniqueConstraint(fields=["blocker", "blocked"], name="social_block_unique"),
            models.CheckConstraint(condition=~Q(blocker=models.F("blocked")), name="social_block_not_self"),
        ]
        indexes = [
            # "Who blocks X": the rule's other direction.
            models.Index(fields=["blocked", "blocker"], name="social_block_blocked_idx"),
            models.Index(fields=["blocker", "-created"], name="social_block_newest_idx"),
        ]

    def __str__(self):
        return f"{self.blocker} ⊘ {self.blocked}"


class MuteQuerySet(models.QuerySet):
    def active(self):
        """Mutes not expired yet, compared in SQL with the database's clock (``until`` NULL: for good)."""
        return self.filter(Q(until__isnull=True) | Q(until__gt=Now()))

    def by(self, user):
        """The people ``user`` mutes now, newest first, with them loaded in the same query."""
        return self.active().filter(muter=user).select_related("muted").order_by("-created", "-pk")


class Mute(models.Model):
    """``muter`` no longer sees ``muted``'s posts and comments in lists, nor hears from them, until ``until``
    (NULL: for good). Nothing changes for the muted user."""

    muter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="muting", verbose_name=_("muter")
    )
    muted = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="muted_by",
        verbose_name=_("muted user"),
    )
    created = dates.DateTimeField(_("since"), default=timezone.now)
    until = dates.DateTimeField(_("until"), null=True, blank=True, help_text=_("Empty: for good."))

    objects = MuteQuerySet.as_manager()

    class Meta:
        verbose_name = _("mute")
        verbose_name_plural = _("mutes")
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="social_mute_unique"),
            models.CheckConstraint(condition=~Q(muter=models.F("muted")), name="social_mute_not_self"),
        ]
        indexes = [
            models.Index(fields=["muted", "muter"], name="social_mute_muted_idx"),
            models.Index(fields=["muter", "-created"], name="social_mute_newest_idx"),
        ]

    def __str__(self):
        return f"{self.muter} ∅ {self.muted}"


MUTED_WORD_MAX_LENGTH = 100
MUTED_WORDS_MAX_COUNT = 100


class MutedWordQuerySet(models.QuerySet):
    def of(self, user):
        return self.filter(user=user).order_by("word")


class MutedWord(models.Model):
    """A word or phrase ``user`` does not want to read: posts containing it (case-insensitive, whole words)
    are folded behind "Show anyway" in their timelines (blog.models.muted_word_match)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="muted_words", verbose_name=_("user")
    )
    word = models.CharField(_("word or phrase"), max_length=MUTED_WORD_MAX_LENGTH)
    pattern = models.TextField(editable=False, help_text="The word as a regular expression, escaped.")
    created = dates.DateTimeField(_("since"), default=timezone.now)

    objects = MutedWordQuerySet.as_manager()

    class Meta:
        verbose_name = _("muted word")
        verbose_name_plural = _("muted words")
        constraints = [
            models.UniqueConstraint(fields=["user", "word"], name="social_muted_word_unique"),
            models.CheckConstraint(condition=~Q(word=""), name="social_muted_word_not_empty"),
        ]

    def __str__(self):
        return self.word

    def save(self, *args, **kwargs):
        self.pattern = word_pattern(self.word)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "pattern"}
        super().save(*args, **kwargs)


def word_pattern(word):
    """``word`` as a regular expression that PostgreSQL's and Python's engines read alike: each piece
    escaped (re.escape escapes only punctuation, which both read as itself), any run of spaces between
    them matching any whitespace."""
    return r"\s+".join(re.escape(piece) for piece in word.split())
