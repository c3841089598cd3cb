"""Reports of posts, comments and users; the sanctions moderators decide; the audit log of every action.

What the visibility rule needs to know lives on the lower models (``blog.Post.moderation``,
``blog.Comment.moderation``, ``accounts.User.suspended_until``), so it stays a condition in SQL; this app
only records why they were set, by whom, and who asked."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blog.models import Comment, Post


class Kind(models.TextChoices):
    """What a report is about."""

    POST = "post", _("post")
    COMMENT = "comment", _("comment")
    USER = "user", _("user")


class Reason(models.TextChoices):
    SPAM = "spam", _("Spam")
    HARASSMENT = "harassment", _("Harassment")
    ILLEGAL = "illegal", _("Illegal content")
    OTHER = "other", _("Other")


class Action(models.TextChoices):
    """What a moderator (or, for a hold, the site) did. The first four resolve a report."""

    DISMISS = "dismiss", _("Dismiss")
    HIDE = "hide", _("Hide the post or comment")
    WARN = "warn", _("Warn the author")
    SUSPEND = "suspend", _("Suspend the author")
    HOLD = "hold", _("Held for review after reports")


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def resolved(self):
        return self.filter(resolved_at__isnull=False)

    def newest_first(self):
        return self.order_by("-created", "-pk")

    def about(self, target):
        """The reports about ``target`` (a post, a comment or a user)."""
        return self.filter(**{kind_of(target): target})

    def for_queue(self):
        """As the moderators' queue lists them: with the reporter, the target and its author."""
        return self.select_related(
            "reporter", "post__author", "comment__author", "comment__post", "user", "resolved_by"
        ).newest_first()


def kind_of(target):
    """The Kind of a report about ``target``."""
    if isinstance(target, Post):
        return Kind.POST
    if isinstance(target, Comment):
        return Kind.COMMENT
    return Kind.USER


class Report(models.Model):
    """Someone's report of a post, a comment or a user: open until a moderator resolves it with an action."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reports_made",
        verbose_name=_("reporter"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="reports", null=True, blank=True, verbose_name=_("post")
    )
    comment = models.ForeignKey(
        Comment,
        on_delete=models.CASCADE,
        related_name="reports",
        null=True,
        blank=True,
        verbose_name=_("comment"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reports_about",
        null=True,
        blank=True,
        verbose_name=_("user"),
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    message = models.TextField(_("message"), max_length=1000, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("resolved by"),
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices, blank=True)
    note = models.TextField(_("note"), max_length=1000, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=Kind.POST, post__isnull=False, comment__isnull=True, user__isnull=True)
                    | Q(kind=Kind.COMMENT, post__isnull=True, comment__isnull=False, user__isnull=True)
                    | Q(kind=Kind.USER, post__isnull=True, comment__isnull=True, user__isnull=False)
                ),
                name="moderation_report_one_target",
            ),
            # One open report per reporter and target: the database decides between concurrent requests.
            *(
                models.UniqueConstraint(
                    fields=["reporter", field],
                    condition=Q(resolved_at__isnull=True, **{f"{field}__isnull": False}),
                    name=f"moderation_report_open_{field}_unique",
                )
                for field in ("post", "comment", "user")
            ),
        ]
        indexes = [
            # Open reports are few: the queue and the navbar's count read them from this small index.
            models.Index(
                fields=["-created"], condition=Q(resolved_at__isnull=True), name="moderation_report_open_idx"
            ),
            models.Index(fields=["-created", "-id"], name="moderation_report_newest_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.target} ({self.get_reason_display()})"

    @property
    def target(self):
        return {Kind.POST: self.post, Kind.COMMENT: self.comment, Kind.USER: self.user}[self.kind]

    @property
    def target_author(self):
        """Who a sanction would fall on: the author of the post or comment (None for a visitor's comment),
        or the reported user."""
        if self.kind == Kind.USER:
            return self.user
        return self.target.author

    @property
    def is_open(self):
        return self.resolved_at is None


class SanctionKind(models.TextChoices):
    WARNING = "warning", _("Warning")
    SUSPENSION = "suspension", _("Suspension")


class Sanction(models.Model):
    """A warning or a suspension of a member, decided by a moderator."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SanctionKind.choices)
    until = models.DateTimeField(_("until"), null=True, blank=True, help_text=_("For a suspension."))
    note = models.TextField(_("note"), max_length=1000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True, verbose_name=_("by")
    )
    report = models.ForeignKey(
        Report,
        on_delete=models.SET_NULL,
        related_name="sanctions",
        null=True,
        blank=True,
        verbose_name=_("report"),
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    shown_at = models.DateTimeField(
        _("shown"), null=True, blank=True, help_text=_("When the member saw the notice on the site.")
    )

    class Meta:
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        indexes = [models.Index(fields=["user", "-created"], name="moderation_sanction_user_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.user}"


class AuditEntry(models.Model):
    """One moderation action: who (None for the site's own holds), when, what, on what, and the note.

    Written by moderation.services only; administrators read it in the Django admin, where nobody can add,
    change or delete an entry. The target is kept as a kind, an id and a label, so an entry outlives it."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        verbose_name=_("who"),
    )
    created = models.DateTimeField(_("when"), default=timezone.now)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    target_kind = models.CharField(_("target kind"), max_length=8, choices=Kind.choices)
    target_id = models.BigIntegerField(_("target id"))
    target_label = models.CharField(_("target"), max_length=200)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["-created", "-id"], name="moderation_audit_newest_idx")]

    def __str__(self):
        return f"{self.created:%Y-%m-%d %H:%M} {self.get_action_display()}: {self.target_label}"
