"""The notifications page's items and day headings, drawn in Python (accounts.inbox.items_html, day_heading),
are what their templates drew (notification_item_reference.html and notification_day_reference.html beside
this file): the same markup, whitespace aside, read and unread, with and without a link, one actor or many,
with text that needs escaping, in both languages. The time is the cards' moment: UTC in the page, worded in
the reader's zone by site.js."""

import datetime
import re
from pathlib import Path

import pytest
from django.template import engines
from django.utils import timezone, translation

from accounts import inbox
from accounts.models import Notification
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HERE = Path(__file__).parent


def normalized(html):
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html))).strip()


def groups(reader):
    """Groups of every shape: unread and read, with a link and without, one actor, several, none."""
    moment = timezone.now().replace(microsecond=0)
    actors = [UserFactory(username=name) for name in ("ann", "b<o>b", "cid")]
    made = []
    for number, (kind, actors_, url, read) in enumerate(
        [
            ("follow", actors[:1], "", False),
            ("like", actors, "/post/1/?a=1&b=2", False),
            ("comment", actors[1:2], "/post/2/#comment-3", True),
            ("moderation", [None], "", True),
        ]
    ):
        notifications = [
            Notification.objects.create(
                recipient=reader,
                kind=kind,
                actor=actor,
                url=url,
                summary='Tea & "cakes" <b>',
                read=read,
                created=moment - datetime.timedelta(minutes=number * 7 + index),
            )
            for index, actor in enumerate(actors_)
        ]
        made.append(inbox.Group(notifications=notifications))
    return made


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_items_are_what_their_template_drew(reader, language):
    reference = engines["django"].from_string((HERE / "notification_item_reference.html").read_text())
    made = groups(reader)
    with translation.override(language):
        drawn = inbox.items_html(made)
        expected = "".join(reference.render({"group": group}) for group in made)
    assert normalized(drawn) == normalized(expected)
    assert drawn.count("list-group-item-info") == 2 and drawn.count("data-reltime") == 4
    assert "b&lt;o&gt;b" in drawn and "<b>b<o>" not in drawn


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_the_day_headings_are_what_their_template_drew(language, zone):
    reference = engines["django"].from_string((HERE / "notification_day_reference.html").read_text())
    with translation.override(language), timezone.override(zone):
        today = timezone.localdate()
        for date in (today, today - datetime.timedelta(days=1), datetime.date(2024, 2, 29)):
            assert inbox.day_heading(date) == reference.render({"date": date}).strip()
