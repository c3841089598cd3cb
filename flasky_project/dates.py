"""The dates people may enter (one range for forms, the admin and the API), and reading any date safely.

Python's calendar ends at 0001-01-01 and 9999-12-31: a moment near either end cannot be shown in a time zone
that pushes it past the end (9999-12-31T23:30 UTC is already 10000 in Madrid), nor be given a day more.
Talks and appointments are events in people's lives, so the years 1900 to 2200 hold every date anyone means
(a historic talk in an archive, a plan for the grandchildren) and stay centuries away from both ends: every
conversion to any zone and every "plus a day" of the code stays inside the calendar.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 1900
LAST_YEAR = 2200

# The range in moments: any date and time of the years above, read in any time zone (UTC+14 to UTC-12),
# is inside it, and so is midnight after 31 December of the last year (where an all-day appointment on that
# date ends). Anything outside it is refused.
EARLIEST = datetime.datetime(FIRST_YEAR, 1, 1, tzinfo=datetime.UTC) - datetime.timedelta(hours=14)
LATEST = datetime.datetime(LAST_YEAR + 1, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(hours=12)


def in_range(value):
    """Whether a date or an aware date and time lies in the range people may enter."""
    if isinstance(value, datetime.datetime):
        return EARLIEST <= value <= LATEST  # comparing aware moments converts nothing: it cannot overflow
    return FIRST_YEAR <= value.year <= LAST_YEAR


def validate_in_range(value):
    if value is not None and not in_range(value):
        raise ValidationError(
            _("Enter a date between the years %(first)d and %(last)d."),
            code="date_out_of_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


def localtime(value):
    """``value`` in the current time zone, or in UTC when that zone cannot show it (a row from before the
    range existed): rendering a date never raises."""
    try:
        return timezone.localtime(value)
    except OverflowError:
        return value.astimezone(datetime.UTC)


def localdate(value):
    """The date of ``value`` in the current time zone (in UTC at the ends of the calendar)."""
    return localtime(value).date()


class _OutOfRange(datetime.datetime):
    """A moment read from a row outside the range: converting it to a zone that cannot show it gives it in
    UTC instead of raising, wherever the conversion happens (templates, the admin, forms, serializers)."""

    def astimezone(self, tz=None):
        try:
            return super().astimezone(tz)
        except OverflowError:
            return super().astimezone(datetime.UTC)


class DateTimeField(models.DateTimeField):
    """A date and time that people enter: refused outside the range (in forms, the admin and the API, which
    all take a model field's validators), and safe to show if a row holds one from before the range."""

    default_validators = [validate_in_range]

    def formfield(self, **kwargs):
        # The form field checks the range too, before any form code converts the value between zones.
        field = super().formfield(**kwargs)
        field.validators.append(validate_in_range)
        return field

    def from_db_value(self, value, expression, connection):
        if value is None or not timezone.is_aware(value) or in_range(value):
            return value
        return _OutOfRange(
            value.year,
            value.month,
            value.day,
            value.hour,
            value.minute,
            value.second,
            value.microsecond,
            tzinfo=value.tzinfo,
            fold=value.fold,
        )
