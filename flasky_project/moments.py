"""The visibility rule's "now" among an SQL statement's parameters.

The rule (blog.models.post_visibility) compares suspensions with the moment it is built, so its compiled
parameters hold that moment: as a datetime, or as the database adapter writes one (SQLite: text in UTC).
What keeps or shares a compiled rule (the API's kept SQL of a list's keys, the search's kept results) must
tell that moment from the rule's own constants."""

import datetime

from django.utils import timezone


def moment_or_value(param, before, after):
    """Where a parameter comes from: ``("now",)`` for the moment of compiling (between ``before`` and
    ``after``) as a datetime, ``("now (adapted)",)`` for it as the adapter wrote it, else
    ``("value", param)``."""
    moment = param
    if isinstance(param, str) and len(param) >= 19:
        try:
            moment = datetime.datetime.fromisoformat(param)
        except ValueError:
            return ("value", param)
        if timezone.is_naive(moment) and timezone.is_aware(before):
            moment = moment.replace(tzinfo=datetime.UTC)
    if isinstance(moment, datetime.datetime) and before <= moment <= after:
        return ("now",) if moment is param else ("now (adapted)",)
    return ("value", param)
