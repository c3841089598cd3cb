"""The site's notifications as their owner sees them: the unread count, a page grouped by day and by what they
are about, marking them read, and the daily digest email of unread ones.

accounts.notifications makes them (the one path); this module only reads and marks them."""

from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Notification, NotificationDigest, NotificationType
from accounts.notifications import DIGEST, renew_page_generation, unsubscribe_token
from flasky_project.email import absolute_url, send_templated_email
from flasky_project.pagination import window
from flasky_project.templatetags.flasky import moment

PER_PAGE = 20
# The digest lists at most this many (the newest), then says how many more wait on the site.
DIGEST_MAX_ITEMS = 50


def unread_count(user):
    """How many of the user's notifications are unread: read with the session's user when it was loaded
    (accounts.backends.RoleBackend.get_user), else one query over the partial index of unread ones."""
    count = getattr(user, "unread_notifications", None)
    if count is None:
        count = Notification.objects.for_user(user).unread().count()
    return count


def mark_read(user, ids=None):
    """Mark the user's notifications read (only those in ``ids`` when given); returns how many were unread.
    The user's loaded count follows, so the page that marks them shows the new count."""
    notifications = Notification.objects.for_user(user)
    if ids is not None:
        notifications = notifications.filter(pk__in=ids)
    marked = notifications.mark_read()
    if marked:
        renew_page_generation(user.pk)
    if getattr(user, "unread_notifications", None) is not None:
        user.unread_notifications = max(0, user.unread_notifications - marked)
    return marked


@dataclass
class Group:
    """Notifications of one kind about one thing on one day ("alice and 3 others liked your post"), newest
    first; one notification alone when it is about nothing that others could share (a new follower)."""

    notifications: list = field(default_factory=list)

    @property
    def newest(self):
        return self.notifications[0]

    @property
    def kind(self):
        return self.newest.kind

    @property
    def actors(self):
        """The distinct actors, most recent first (None, a guest or the site, is not listed)."""
        seen = {}
        for notification in self.notifications:
            if notification.actor_id and notification.actor_id not in seen:
                seen[notification.actor_id] = notification.actor
        return list(seen.values())

    @property
    def others(self):
        return max(0, len(self.actors) - 1)

    @property
    def unread(self):
        return any(not notification.read for notification in self.notifications)

    @property
    def ids(self):
        return [notification.pk for notification in self.notifications]

    @property
    def url(self):
        return self.newest.get_absolute_url()

    def sentence(self):
        """Who did what, in the reader's language, names in bold ("<b>alice</b> and 3 others liked your post
        “Hello”.")."""
        template = _SENTENCES.get((self.kind, self.newest.target_model)) or _SENTENCES[self.kind, ""]
        values = {"who": self._who(), "what": conditional_escape(self.newest.summary)}
        return mark_safe(conditional_escape(template()) % values)  # noqa: S308 - every part is escaped

    def _who(self):
        actors = self.actors
        if not actors:
            return conditional_escape(_("A visitor"))
        name = format_html("<b>{}</b>", actors[0].username)
        if not self.others:
            return name
        text = ngettext("%(actor)s and %(count)d other", "%(actor)s and %(count)d others", self.others)
        return mark_safe(conditional_escape(text) % {"actor": name, "count": self.others})  # noqa: S308


# What each kind says, by kind and the model of what it is about ("" for any), in the reader's language.
_SENTENCES = {
    (NotificationType.FOLLOW, ""): lambda: _("%(who)s started following you."),
    (NotificationType.COMMENT, ""): lambda: _("%(who)s commented on “%(what)s”."),
    (NotificationType.REPLY, ""): lambda: _("%(who)s replied to your comment on “%(what)s”."),
    (NotificationType.MENTION, ""): lambda: _("%(who)s mentioned you in “%(what)s”."),
    (NotificationType.MENTION, "comment"): lambda: _("%(who)s mentioned you in a comment on “%(what)s”."),
    (NotificationType.LIKE, ""): lambda: _("%(who)s liked your post “%(what)s”."),
    (NotificationType.LIKE, "comment"): lambda: _("%(who)s liked your comment on “%(what)s”."),
    (NotificationType.GUEST_COMMENT, ""): lambda: _(
        "%(who)s commented on “%(what)s”: it waits for your approval."
    ),
    (NotificationType.MODERATION, ""): lambda: _("Moderators reviewed your comment on “%(what)s”."),
    (NotificationType.MODERATION, "report"): lambda: _("Your report was resolved: %(what)s"),
    (NotificationType.MODERATION, "sanction"): lambda: _("A moderator sent you a notice: %(what)s."),
}


@dataclass
class Day:
    date: object
    groups: list = field(default_factory=list)


def group_by_day(notifications):
    """[Day] in the order given (newest first), each with its Groups: same kind, same target, same day (in
    the reader's time zone)."""
    days, groups = [], {}
    for notification in notifications:
        date = timezone.localtime(notification.created).date()
        if not days or days[-1].date != date:
            days.append(Day(date))
        target = (notification.target_type_id, notification.target_id) if notification.target_id else None
        key = (date, notification.kind, target or ("alone", notification.pk))
        if key not in groups:
            groups[key] = Group()
            days[-1].groups.append(groups[key])
        groups[key].notifications.append(notification)
    return days


def page_of(request):
    """The requested page of the user's notifications, newest first, 20 a page and never counted: (the
    Window, its Days). Three queries: the page's keys on the (recipient, -created, -id) index, its rows with
    their actors, and marking the unread ones among them read (opening the page reads them)."""
    notifications = Notification.objects.for_user(request.user).newest_first().for_list()
    page = window(request, notifications, PER_PAGE)
    unread = [notification.pk for notification in page if not notification.read]
    if unread:
        mark_read(request.user, unread)
    return page, group_by_day(page)


# --- The page's HTML ---
#
# Drawn in Python: an {% include %} of an item's template for each of a page's 20 groups, with its time in
# words computed on the server ("3 hours ago": naturaltime, in the reader's zone), was most of the page's
# template time. A time is now the moment every cached card writes (flasky_project.templatetags.flasky's
# moment): UTC, which site.js words in the reader's language and zone; without JavaScript the UTC date and
# time stay. accounts/tests/test_notification_markup.py holds the markup to the templates it replaced.


def day_heading(date):
    """A day's heading: "Today" for the reader's today (in their zone), else the day in full."""
    if date == timezone.localdate():
        return escape(_("Today"))
    return escape(date_format(date, "l j F Y"))


_LINK = '<a href="{}" class="link-body-emphasis">{}</a>'


def items_html(groups):
    """The <li> of each of ``groups`` (a Day's), newest first: who did what (a link to it), "New" while
    unread, and when."""
    new = escape(_("New"))
    items = []
    for group in groups:
        url, sentence = group.url, group.sentence()
        what = format_html(_LINK, url, sentence) if url else sentence
        unread = group.unread
        items.append(
            format_html(
                '<li class="list-group-item d-flex gap-2 align-items-start{}" id="notification-{}">\n'
                '<div class="flex-grow-1">\n{}\n{}\n<div class="small text-body-secondary">{}</div>\n</div>\n'
                "</li>",
                " list-group-item-info" if unread else "",
                group.newest.pk,
                what,
                format_html('<span class="badge text-bg-primary ms-1">{}</span>', new) if unread else "",
                moment(group.newest.created, local=True),
            )
        )
    return mark_safe("\n".join(items))  # noqa: S308 - each part escaped by format_html


# --- The daily digest ---


def send_digests(*, now=None):
    """Email each user who asked for the digest their unread notifications made since the last one (none
    new: no email); returns how many were emailed. Run once a day (``send_notification_digests``)."""
    now = now or timezone.now()
    emailed = 0
    digests = NotificationDigest.objects.filter(user__is_active=True, user__confirmed=True).select_related(
        "user"
    )
    for digest in digests.exclude(user__email="").iterator():
        with transaction.atomic():
            news = list(
                Notification.objects.for_user(digest.user)
                .unread()
                .filter(created__gt=digest.sent_until, created__lte=now)
                .newest_first()
                .for_list()[: DIGEST_MAX_ITEMS + 1]
            )
            NotificationDigest.objects.filter(pk=digest.pk).update(sent_until=now)
            if news:
                _send_digest(digest.user, news)
                emailed += 1
    return emailed


def _send_digest(user, news):
    token = unsubscribe_token(kind=DIGEST, user=user)
    send_templated_email(
        to=user.email,
        template="notifications/email/digest",
        context={
            "recipient": user,
            "notifications": news[:DIGEST_MAX_ITEMS],
            "more": len(news) > DIGEST_MAX_ITEMS,
            "page_url": absolute_url(reverse("accounts:notifications")),
            "preferences_url": absolute_url(reverse("accounts:email_preferences")),
        },
        language=user.language or None,
        unsubscribe_url=absolute_url(reverse("accounts:unsubscribe", args=[token])),
    )
