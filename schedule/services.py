"""Changing schedules: the one path for the views (and anything that changes a schedule later)."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from flasky_project import dates
from flasky_project.email import absolute_url
from schedule.models import Appointment, CalendarFeed

TALK_LENGTH = timedelta(hours=1)  # talks say when they start, not how long they last


class CannotAddTalk(ValueError):
    """The talk cannot go in a schedule: it has begun, or it is dated outside the range of dates people may
    enter (a row from before the range existed), where its end would fall past the calendar."""


def save_appointment(appointment, *, owner):
    """Save a new or changed appointment (made by AppointmentForm) as ``owner``'s."""
    appointment.owner = owner
    appointment.save()
    return appointment


def add_talk(*, owner, talk):
    """Put a talk in ``owner``'s schedule: (appointment, True), or (the existing one, False) if it is there
    already. The unique constraint decides, so two clicks at once still make one appointment. A talk that
    has begun, or lies outside the range of dates, raises CannotAddTalk."""
    existing = Appointment.objects.filter(owner=owner, talk=talk).first()
    if existing is not None:
        return existing, False
    if not talk.is_upcoming():
        raise CannotAddTalk(_("This talk is over: it cannot be added to your schedule."))
    if not (dates.in_range(talk.date) and dates.in_range(talk.date + TALK_LENGTH)):
        raise CannotAddTalk(_("This talk's date is out of range: it cannot be added to your schedule."))
    post = talk.post
    description = _("A talk by %(speaker)s.") % {"speaker": post.author.username}
    # SITE_URL, as every link of the calendar feed (not the host this request came in by): one address.
    talk_url = absolute_url(talk.get_absolute_url())
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                owner=owner,
                talk=talk,
                title=post.title[:255],
                start=talk.date,
                end=talk.date + TALK_LENGTH,
                location=talk.venue,
                description=f"{description}\n\n{talk_url}",
            )
    except IntegrityError:
        return Appointment.objects.get(owner=owner, talk=talk), False
    return appointment, True


def delete_appointment(appointment):
    appointment.delete()


def reset_feed(*, owner):
    """Give ``owner``'s calendar feed a new secret address; the old one stops working at once. Returns
    (feed, created): created is False when an address existed and has been replaced."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return CalendarFeed.objects.update_or_create(
                    owner=owner, defaults={"token": CalendarFeed.new_token()}
                )
        except IntegrityError:  # another request created the owner's feed meanwhile: update that one
            continue
    raise RuntimeError("could not reset the calendar feed")
