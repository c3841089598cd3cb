"""Changing schedules: the one path for views, the API and commands."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from schedule.models import Appointment, CalendarFeed

TALK_LENGTH = timedelta(hours=1)  # talks say when they start, not how long they last


def save_appointment(appointment, *, owner):
    """Save a new or changed appointment (made by AppointmentForm) as ``owner``'s."""
    appointment.owner = owner
    appointment.save()
    return appointment


def add_talk(*, owner, talk, talk_url):
    """Put a talk in ``owner``'s schedule: (appointment, True), or (the existing one, False) if it is there
    already. The unique constraint decides, so two clicks at once still make one appointment."""
    existing = Appointment.objects.filter(owner=owner, talk=talk).first()
    if existing is not None:
        return existing, False
    post = talk.post
    description = _("A talk by %(speaker)s.") % {"speaker": post.author.username}
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
    """Give ``owner``'s calendar feed a new secret address; the old one stops working at once."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                feed, _created = CalendarFeed.objects.update_or_create(
                    owner=owner, defaults={"token": CalendarFeed.new_token()}
                )
            return feed
        except IntegrityError:  # another request created the owner's feed meanwhile: update that one
            continue
    raise RuntimeError("could not reset the calendar feed")
