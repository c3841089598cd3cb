"""The user: identity, role, profile and preferences."""

import datetime
import hashlib
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import models as auth_models
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import letter_avatars
from accounts.validators import USERNAME_MAX_LENGTH, validate_timezone, validate_username
from flasky_project import dates

# A suspension "for good" lasts until this moment: a date in the one range of dates, so it can be shown
# in any time zone, and far enough away that nobody waits for it.
SUSPENDED_FOR_GOOD = datetime.datetime(dates.LAST_YEAR, 12, 31, tzinfo=datetime.UTC)


class Role(models.TextChoices):
    USER = "user", _("User")
    MODERATOR = "moderator", _("Moderator")
    ADMINISTRATOR = "administrator", _("Administrator")


def initial_role(email):
    """The role an account gets when it is created: Administrator for FLASKY_ADMIN addresses, else User."""
    return Role.ADMINISTRATOR if email.strip().lower() in settings.FLASKY_ADMIN else Role.USER


def avatar_upload_to(user, filename):
    # A fresh name on every upload, so browsers and proxies never show a cached old picture.
    return f"avatars/{user.pk or 'new'}-{secrets.token_hex(8)}.webp"


class UserQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def by_email(self, email):
        return self.filter(email=email.strip().lower())

    def suspended(self):
        """Accounts a moderator suspended, until a moment still to come (read from a small partial index)."""
        return self.filter(suspended_until__isnull=False, suspended_until__gt=timezone.now())

    def with_unread_count(self):
        """Each user with ``unread_notifications``, in the same query (a count over the partial index of
        unread notifications): the session's user is read this way, so the navbar's bell costs no query.
        And with ``newest_notification``, the id of their newest (None: they have none; the first entry of
        the (recipient, -created, -id) index): with the unread count it names the state of their
        notifications, which their page is kept under (accounts.views.notification_list)."""
        unread = (
            Notification.objects.filter(recipient=OuterRef("pk"), read=False)
            .order_by()
            .values("recipient")
            .annotate(count=Count("pk"))
            .values("count")
        )
        newest = Notification.objects.filter(recipient=OuterRef("pk")).newest_first().values("pk")[:1]
        return self.annotate(
            unread_notifications=Coalesce(Subquery(unread), 0), newest_notification=Subquery(newest)
        )


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    # Django's own "who holds this permission?" (from its UserManager, whose user-creation methods do not
    # fit ours), answered by accounts.backends.RoleBackend.with_perm.
    with_perm = auth_models.UserManager.with_perm

    def create_user(self, email, username, password=None, **fields):
        user = self.model(email=email, username=username, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, username, password=None, **fields):
        fields.setdefault("role", Role.ADMINISTRATOR)
        fields.setdefault("confirmed", True)
        return self.create_user(email, username, password, **fields)

    def get_by_natural_key(self, email):
        return self.get(email=email.strip().lower())


class User(AbstractBaseUser, PermissionsMixin):
    """A member of the site. Logs in with email; permissions come from exactly one role (see roles.py)."""

    email = models.EmailField(_("email address"), unique=True)
    username = models.CharField(
        _("username"),
        max_length=USERNAME_MAX_LENGTH,
        unique=True,
        validators=[validate_username],
        help_text=_("Letters, numbers, dots or underscores, starting with a letter."),
        error_messages={"unique": _("Username already in use.")},
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.USER)
    confirmed = models.BooleanField(
        _("confirmed"), default=False, help_text=_("Whether the user has confirmed their email address.")
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive users cannot log in. Deactivate instead of deleting."),
    )
    name = models.CharField(_("real name"), max_length=64, blank=True)
    location = models.CharField(_("location"), max_length=64, blank=True)
    about_me = models.TextField(_("about me"), max_length=2000, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to=avatar_upload_to, blank=True)
    member_since = models.DateTimeField(_("member since"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("“Automatic” follows your browser's language."),
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_timezone],
        help_text=_("“Automatic” follows your browser's time zone."),
    )
    suspended_until = models.DateTimeField(
        _("suspended until"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set by a moderator (see the moderation app); empty when the account is not suspended."),
    )

    # One role, not Django's groups and per-user permissions: the role decides (accounts.backends).
    # PermissionsMixin's is_superuser field is replaced by the property below.
    groups = None
    user_permissions = None

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("follow", _("Follow users")),
            ("comment", _("Comment on posts made by others")),
            ("write", _("Write articles")),
            ("moderate", _("Moderate comments made by others")),
            ("admin", _("Administration access")),
        ]
        constraints = [
            # Emails are stored lower-cased, so the plain unique index is case-insensitive.
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="accounts_user_email_lower"
            ),
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_message=_("Username already in use."),
            ),
        ]
        indexes = [
            models.Index(fields=["role"], name="accounts_user_role_idx"),
            # Suspended accounts are few: the visibility rule reads them from this small index.
            models.Index(
                fields=["suspended_until"],
                condition=models.Q(suspended_until__isnull=False),
                name="accounts_user_suspended_idx",
            ),
        ]

    def __str__(self):
        return self.username

    def get_session_auth_hash(self):
        """Django's HMAC of the password; for a session's user built from their copy in the cache
        (accounts.backends), which does not hold the password, the one kept with it, as long as the password
        has not been read or set on this object since (then it is this password's, as Django makes it)."""
        kept = self.__dict__.get("_kept_session_auth_hash")
        if kept is not None and "password" not in self.__dict__:
            return kept
        return super().get_session_auth_hash()

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        if self._state.adding and self.role == Role.USER:
            self.role = initial_role(self.email)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # A project-level name: the profile page is composed from several apps (see flasky_project/urls.py).
        return reverse("profile", args=[self.username])

    @property
    def is_superuser(self):
        """Administrators hold every permission, including those of apps added later."""
        return self.is_active and self.role == Role.ADMINISTRATOR

    @property
    def is_staff(self):
        """Moderators and administrators reach the Django admin, limited there by their permissions."""
        return self.is_active and self.role in (Role.MODERATOR, Role.ADMINISTRATOR)

    @property
    def is_suspended(self):
        return self.suspended_until is not None and self.suspended_until > timezone.now()

    @property
    def suspended_for_good(self):
        return self.is_suspended and self.suspended_until >= SUSPENDED_FOR_GOOD

    def gravatar_hash(self):
        return hashlib.md5(self.email.encode("utf-8"), usedforsecurity=False).hexdigest()

    def gravatar_url(self, size=100, default="identicon", rating="g"):
        query = urlencode({"s": size, "d": default, "r": rating})
        return f"https://secure.gravatar.com/avatar/{self.gravatar_hash()}?{query}"

    def letter_avatar_url(self, kind="svg"):
        """The address of this user's letter avatar (accounts.letter_avatars): "svg" for pages, "png" for
        emails. It holds the initials, so it changes with the username."""
        letters = letter_avatars.initials(self.username)
        colour = letter_avatars.colour_index(self.pk if self.pk is not None else self.username)
        return reverse("accounts:letter_avatar", args=[letters, colour, kind])

    def avatar_source(self):
        """What decides the address of this user's avatar (``avatar_url``) besides the size, for the keys of
        cached HTML that shows it, without building it: the uploaded file's name, else the email address
        when Gravatar is on, else the username and id (the letter avatar is drawn from them). Building the
        letter avatar's address is a reverse(): a page of 20 post cards spent 0.5 ms on them for the cards'
        keys alone."""
        if self.avatar:
            return ("file", self.avatar.name)
        if settings.FLASKY_GRAVATAR:
            return ("gravatar", self.email)
        return ("letters", self.pk, self.username)

    def avatar_url(self, size=100, *, kind="svg"):
        """The uploaded picture if there is one; else Gravatar's of the requested size when the operator
        turned it on (FLASKY_GRAVATAR: it sends a hash of the email address to a third party, and needs the
        internet); else the letter avatar drawn here (``kind`` "png" for emails, which may not show SVG)."""
        if self.avatar:
            return self.avatar.url
        if settings.FLASKY_GRAVATAR:
            return self.gravatar_url(size=size)
        return self.letter_avatar_url(kind)


class EmailOptOut(models.Model):
    """A kind of notification email the user switched off (every kind is on until switched off).

    The kinds are declared by the apps that send them (see accounts.notifications)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_opt_outs")
    kind = models.CharField(_("kind"), max_length=50)
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("email opt-out")
        verbose_name_plural = _("email opt-outs")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="accounts_emailoptout_unique")]

    def __str__(self):
        return f"{self.user} ✕ {self.kind}"


class DataExportQuerySet(models.QuerySet):
    def expired(self, now=None):
        return self.filter(expires__lte=now or timezone.now())

    def open_for(self, user, now=None):
        """The user's export that is still being built or waiting to be downloaded (one at a time)."""
        return self.filter(user=user, downloaded__isnull=True, expires__gt=now or timezone.now())


class DataExport(models.Model):
    """A ZIP of a user's data, built by a task (accounts.tasks), downloadable once until it expires."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="data_exports")
    requested = models.DateTimeField(_("requested"), default=timezone.now)
    expires = models.DateTimeField(_("expires"))
    # The file's name in default_storage (media may be on S3): empty until the task has built it.
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    ready = models.DateTimeField(_("ready"), null=True, blank=True)
    downloaded = models.DateTimeField(_("downloaded"), null=True, blank=True)

    objects = DataExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        indexes = [models.Index(fields=["user", "-requested"], name="accounts_export_user_idx")]

    def __str__(self):
        return f"{self.user} {self.requested:%Y-%m-%d %H:%M}"


class SiteOptOut(models.Model):
    """A kind of notification the user switched off on the site (every kind is on until switched off)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="site_opt_outs")
    kind = models.CharField(_("kind"), max_length=50)
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("site notification opt-out")
        verbose_name_plural = _("site notification opt-outs")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="accounts_siteoptout_unique")]

    def __str__(self):
        return f"{self.user} ✕ {self.kind}"


class NotificationDigest(models.Model):
    """A user who asked for a daily email of their unread notifications, and up to when they were sent one."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="notification_digest"
    )
    sent_until = models.DateTimeField(_("sent until"), default=timezone.now)

    class Meta:
        verbose_name = _("notification digest")
        verbose_name_plural = _("notification digests")

    def __str__(self):
        return str(self.user)


class NotificationType(models.TextChoices):
    """What a notification says happened; the API's ``"type"``."""

    FOLLOW = "follow", _("new follower")
    COMMENT = "comment", _("comment")
    REPLY = "reply", _("reply")
    MENTION = "mention", _("mention")
    LIKE = "like", _("like")
    GUEST_COMMENT = "guest_comment", _("visitor's comment waiting")
    MODERATION = "moderation", _("moderation")


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read=False)

    def newest_first(self):
        return self.order_by("-created", "-id")

    def for_list(self):
        return self.select_related("actor", "target_type")

    def mark_read(self):
        """Mark these as read; returns how many were unread."""
        return self.filter(read=False).update(read=True)


class Notification(models.Model):
    """One thing that happened that one member is told about on the site (accounts.notifications makes them).

    What it is about is a generic reference (accounts may not import the apps whose objects these are): the
    blog's Post and Comment declare a GenericRelation to it, so deleting a post or a comment, however it is
    deleted (a view, the API, the admin, a cascade), deletes the notifications about it. ``post_id`` is the
    post the target is on (for the API's links) and ``url`` the page to open, worked out when it was made.
    """

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("type"), max_length=20, choices=NotificationType.choices)
    actor = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="caused_notifications"
    )
    target_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    post_id = models.PositiveBigIntegerField(null=True, blank=True)
    url = models.CharField(_("address"), max_length=500, blank=True)
    # What the page says it is about (a post's title when it was made): the page shows it without reading
    # the objects of the apps above.
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    read = models.BooleanField(_("read"), default=False)
    created = models.DateTimeField(_("created"), default=timezone.now)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The notifications page and the API: newest first, per recipient.
            models.Index(fields=["recipient", "-created", "-id"], name="accounts_notif_recipient_idx"),
            # The navbar's unread count: only unread rows are in it, so it stays small.
            models.Index(
                fields=["recipient"], condition=models.Q(read=False), name="accounts_notif_unread_idx"
            ),
            # Deleting a post or comment finds the notifications about it.
            models.Index(fields=["target_type", "target_id"], name="accounts_notif_target_idx"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient}"

    def get_absolute_url(self):
        return self.url or (self.actor.get_absolute_url() if self.actor_id else "")

    @property
    def comment_id(self):
        """The comment it is about (the blog's), or None."""
        return self.target_id if self.target_model == "comment" else None

    @property
    def target_model(self):
        """The target's model name ("post", "comment"), or "" (a new follower's notification has none)."""
        return self.target_type.model if self.target_type_id else ""
