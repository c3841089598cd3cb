"""A user's schedule as an iCalendar (RFC 5545) document, for calendar programs that subscribe to it.

Every value goes through the icalendar library, which escapes text (commas, semicolons, new lines) and folds
long lines; nothing is written by hand."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from flasky_project.email import absolute_url
from schedule.models import ONE_DAY

PRODUCT_ID = "-//Flasky//Schedule//EN"
REFRESH = timedelta(hours=1)  # how often calendar programs should read the feed again


def schedule_calendar(owner, appointments):
    """The iCalendar document (bytes) of ``owner``'s ``appointments``, in the owner's language."""
    host = urlsplit(settings.SITE_URL).hostname or "flasky"
    with translation.override(owner.language or settings.LANGUAGE_CODE):
        calendar = Calendar()
        calendar.add("prodid", PRODUCT_ID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add(
            "x-wr-calname",
            _("%(site)s: schedule of %(username)s")
            % {
                "site": settings.SITE_NAME,
                "username": owner.username,
            },
        )
        calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")  # the same, for Outlook
        for appointment in appointments:
            calendar.add_component(_event(appointment, host))
    return calendar.to_ical()


def _event(appointment, host):
    event = Event()
    # Stable across edits and feed resets, unique across sites: calendar programs update, not duplicate.
    event.add("uid", f"appointment-{appointment.pk}@{host}")
    event.add("dtstamp", appointment.modified)
    event.add("created", appointment.created)
    event.add("last-modified", appointment.modified)
    if appointment.all_day:
        event.add("dtstart", appointment.first_day)  # VALUE=DATE
        event.add("dtend", appointment.last_day + ONE_DAY)  # iCalendar ends all-day events the day after
    else:
        event.add("dtstart", appointment.start)
        event.add("dtend", appointment.end)
    event.add("summary", str(appointment))
    if appointment.location:
        event.add("location", appointment.location)
    if appointment.description:
        event.add("description", appointment.description)
    event.add("url", absolute_url(appointment.get_absolute_url()))
    return event
