"""A private schedule: each user's appointments, and the secret address of their calendar feed.

Times are stored in UTC. An all-day appointment is a span of whole dates, the same wherever it is read: it is
stored from midnight UTC of its first date to midnight UTC after its last one (iCalendar's exclusive end), and
shown as those dates, never converted to the reader's time zone.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from flasky_project import dates
from talks.models import Talk

ONE_DAY = datetime.timedelta(days=1)


def utc_midnight(date):
    return datetime.datetime.combine(date, datetime.time.min, tzinfo=datetime.UTC)


class AppointmentQuerySet(models.QuerySet):
    def owned_by(self, user):
        """The one way pages reach appointments: nobody sees or touches another user's."""
        return self.filter(owner=user) if user.is_authenticated else self.none()

    def _not_over(self, now):
        # Timed appointments until the end of the reader's today; all-day ones until their last date ends.
        start_of_today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        today = utc_midnight(timezone.localdate(now))
        return Q(all_day=False, end__gte=start_of_today) | Q(all_day=True, end__gt=today)

    def upcoming(self, now=None):
        """From today on (the reader's today), soonest first."""
        return self.filter(self._not_over(now or timezone.now())).order_by("start", "pk")

    def past(self, now=None):
        """Before today, most recent first."""
        return self.exclude(self._not_over(now or timezone.now())).order_by("-start", "-pk")


class Appointment(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="appointments",
        verbose_name=_("owner"),
        db_index=False,  # the (owner, start) index serves every lookup by owner
    )
    # The talk the appointment was made from, if any ("+": talks never reach schedules through it).
    talk = models.ForeignKey(
        Talk, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("talk")
    )
    title = models.CharField(_("title"), max_length=255, blank=True)
    start = dates.DateTimeField(_("start"))
    end = dates.DateTimeField(_("end"))
    all_day = models.BooleanField(_("all day"), default=False)
    location = models.CharField(_("location"), max_length=255, blank=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        indexes = [models.Index(fields=["owner", "start", "id"], name="schedule_owner_start_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="schedule_end_not_before_start"),
            models.UniqueConstraint(
                fields=["owner", "talk"], condition=Q(talk__isnull=False), name="schedule_talk_once_per_owner"
            ),
        ]

    def __str__(self):
        return self.title or str(_("(untitled)"))

    def get_absolute_url(self):
        return reverse("schedule:detail", args=[self.pk])

    @property
    def duration(self):
        return self.end - self.start

    @property
    def first_day(self):
        """The first date of an all-day appointment (its start's date in UTC, see the module docstring)."""
        return self.start.astimezone(datetime.UTC).date()

    @property
    def last_day(self):
        """The last date of an all-day appointment (the day before its exclusive end)."""
        end = self.end.astimezone(datetime.UTC)
        # A row from before flasky_project.dates bounded dates may end on the calendar's first day.
        return (end - ONE_DAY).date() if end.date() > datetime.date.min else end.date()

    def day(self):
        """The date the appointment is listed under: its first date, or its start in the reader's zone."""
        return self.first_day if self.all_day else timezone.localdate(self.start)


class CalendarFeed(models.Model):
    """The secret address (a random token) at which calendar programs read a user's schedule.

    The token is kept as it is, not hashed: it only reads appointments that sit in the same database, so a
    leaked table would give away nothing the token does not; resetting it replaces it at once."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("owner"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"calendar feed of {self.owner_id}"

    def get_absolute_url(self):
        return reverse("schedule:feed", args=[self.token])

    @staticmethod
    def webcal_url(url):
        """The feed's absolute ``url`` with the webcal: scheme, which opens the subscription in the reader's
        calendar program (which then fetches it over http or https)."""
        return "webcal:" + url.split(":", 1)[1]

    @staticmethod
    def new_token():
        return secrets.token_urlsafe(32)
