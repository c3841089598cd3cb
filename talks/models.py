"""Talks: a post (title, abstract, speaker) with the details of where and when it is given."""

from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blog.models import Post, PostKind, like_count, post_visibility, published_comment_count
from flasky_project import dates

URL_MAX_LENGTH = 500
# Only addresses a browser opens as a page: no javascript:, data:, ftp: or other schemes, ever.
web_url = URLValidator(schemes=["http", "https"])


class TalkQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """The talks ``viewer`` may see: those whose post they may see (blog.models.post_visibility)."""
        return self.filter(post_visibility(viewer, via="post__"))

    def for_list(self):
        """What a list of talks shows, in one query: the post, its speaker, its published comment count and
        its like count."""
        return self.select_related("post__author").annotate(
            comment_count=published_comment_count("post"), like_count=like_count("post")
        )

    def upcoming(self, now=None):
        """Talks from now on, soonest first."""
        return self.filter(date__gte=now or timezone.now()).order_by("date", "pk")

    def past(self, now=None):
        """Talks already given, most recent first."""
        return self.filter(date__lt=now or timezone.now()).order_by("-date", "-pk")

    def newest_first(self):
        return self.order_by("-date", "-pk")

    def by(self, user):
        return self.filter(post__author=user)


class Talk(models.Model):
    """The talk details of a post. The talk's title is the post's title, its abstract the post's body
    (Markdown), its speaker the post's author; deleting the post deletes the talk."""

    post = models.OneToOneField(
        Post, on_delete=models.CASCADE, primary_key=True, related_name="talk", verbose_name=_("post")
    )
    date = dates.DateTimeField(_("date"), help_text=_("When the talk starts."))
    venue = models.CharField(_("venue"), max_length=128)
    venue_url = models.URLField(_("venue URL"), max_length=URL_MAX_LENGTH, blank=True, validators=[web_url])
    video_url = models.URLField(_("video URL"), max_length=URL_MAX_LENGTH, blank=True, validators=[web_url])
    slides_url = models.URLField(_("slides URL"), max_length=URL_MAX_LENGTH, blank=True, validators=[web_url])

    objects = TalkQuerySet.as_manager()

    class Meta:
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        # One index serves both orders of /talks/: upcoming reads it forwards, past backwards.
        indexes = [models.Index(fields=["date", "post"], name="talks_talk_date_idx")]

    def __str__(self):
        return self.post.title

    def save(self, *args, **kwargs):
        # The post says what it is (blog.Post.kind), so that the blog can tell a talk without importing talks.
        if self.post.kind != PostKind.TALK:
            self.post.kind = PostKind.TALK
            Post.objects.filter(pk=self.post_id).update(kind=PostKind.TALK)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("talks:talk", args=[self.pk])

    def get_edit_url(self):
        return reverse("talks:edit", args=[self.pk])

    @property
    def speaker(self):
        return self.post.author

    def is_upcoming(self, now=None):
        return self.date >= (now or timezone.now())


class PendingModerationEmail(models.Model):
    """A talk whose speaker is due an email about comments waiting for approval: at most one queued per
    talk, so comments that arrive before it is sent go into the same email (as blog.PendingRound does for
    new-comment emails)."""

    talk = models.OneToOneField(Talk, on_delete=models.CASCADE, primary_key=True, related_name="+")
    due = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"moderation email for talk {self.talk_id} due {self.due:%Y-%m-%d %H:%M}"
