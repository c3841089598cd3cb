"""Template filters of the schedule: durations in words, in the reader's language."""

import datetime

from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def duration(value):
    """A timedelta (or seconds) in words, to the minute: "1 hour 30 minutes", "2 days 3 hours"."""
    if value is None or value == "":
        return ""
    seconds = value.total_seconds() if isinstance(value, datetime.timedelta) else float(value)
    if seconds < 0:
        return ""
    days, rest = divmod(int(seconds) // 60, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if minutes or not parts:
        parts.append(ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes})
    return " ".join(parts)
