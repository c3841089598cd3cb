"""Who follows whom."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Count, Q
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
        ``viewer``: one query over the two indexes that start with the user."""
        viewer_id = viewer.pk if viewer is not None and viewer.is_authenticated else None
        return self.filter(Q(followed=user) | Q(follower=user)).aggregate(
            followers=Count("pk", filter=Q(followed=user)),
            following=Count("pk", filter=Q(follower=user)),
            viewer_follows=Count("pk", filter=Q(followed=user, follower_id=viewer_id)),
            follows_viewer=Count("pk", filter=Q(follower=user, followed_id=viewer_id)),
        )


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
