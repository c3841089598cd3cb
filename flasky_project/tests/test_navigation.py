"""The navbar marks the item of the page you are on (flasky_project.navigation)."""

import re

import pytest

from schedule.tests.factories import AppointmentFactory
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db


def current_items(content):
    """The navbar's marked links: [(text, aria-current)], from the navbar's markup only."""
    navbar = content[content.index('<nav class="navbar') : content.index("</nav>")]
    marked = re.findall(
        r'<a class="[^"]*\bactive\b[^"]*" href="[^"]*" aria-current="(\w+)"[^>]*>\s*([^<]*)', navbar
    )
    return [(text.strip(), current) for current, text in marked]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", [("Home", "page")]),
        ("/talks/", [("Talks", "page")]),
        ("/talks/past/", [("Talks", "true")]),
        ("/user/reader/", [("Profile", "page")]),
        ("/followers/reader/", [("Profile", "true")]),
        ("/user/author/", []),
        ("/schedule/", [("Schedule", "page")]),
        ("/schedule/new/", [("Schedule", "true")]),
        ("/bookmarks/", [("Bookmarks", "page")]),
        ("/edit-profile/", [("Edit Profile", "page")]),
        ("/search/?q=x", []),
    ],
    ids=[
        "home",
        "talks",
        "past-talks",
        "own-profile",
        "own-followers",
        "someone-elses-profile",
        "schedule",
        "new-appointment",
        "bookmarks",
        "edit-profile",
        "search",
    ],
)
def test_the_navbar_marks_the_current_section(reader_client, author, path, expected):
    assert current_items(reader_client.get(path).content.decode()) == expected


def test_a_talk_is_marked_under_talks(reader_client):
    talk = TalkFactory()
    assert current_items(reader_client.get(talk.get_absolute_url()).content.decode()) == [("Talks", "true")]


def test_an_appointment_is_marked_under_schedule(login, reader):
    appointment = AppointmentFactory(owner=reader)
    content = login(reader).get(appointment.get_absolute_url()).content.decode()
    assert current_items(content) == [("Schedule", "true")]


def test_notifications_mark_the_bell(reader_client):
    content = reader_client.get("/notifications/").content.decode()
    navbar = content[content.index('<nav class="navbar') : content.index("</nav>")]
    assert re.search(r'class="nav-link[^"]*\bactive" href="/notifications/" aria-current="page"', navbar)


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/moderate/", [("Moderate", "page")]), ("/moderate/reports/", [("Reports", "page")])],
    ids=["comment-moderation", "reports"],
)
def test_moderators_pages_are_marked(moderator_client, path, expected):
    assert current_items(moderator_client.get(path).content.decode()) == expected


def test_a_stranger_sees_home_marked(client):
    assert current_items(client.get("/").content.decode()) == [("Home", "page")]
