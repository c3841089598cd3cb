"""Every list says, when empty, what would be there and what to do next (templates/_empty.html)."""

import html
import re

import pytest
from django.conf import settings

from blog.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def empty_states(content):
    """The page's empty states: [(message, [the actions' addresses])]."""
    found = []
    for block in re.findall(r'<div class="empty-state" data-empty-state>(.*?)</div>', content, re.S):
        message = re.search(r'<p class="empty-state-message">(.*?)</p>', block, re.S).group(1)
        found.append(
            (
                message,
                [html.unescape(url) for url in re.findall(r'<a class="btn [^"]*" href="([^"]*)">', block)],
            )
        )
    return found


def empty_state(content):
    """The page's one empty state (of the list in question), or None."""
    states = empty_states(content)
    return states[-1] if states else None


# (id, who, address, the message, the actions' addresses)
LISTS = [
    ("home-all", "reader", "/", "No posts yet. Yours could be the first!", ["#id_body"]),
    ("home-stranger", None, "/", "No posts yet. Join Flasky and write the first one!", ["/auth/signup/"]),
    ("profile-own", "reader", "/user/reader/", "You have not posted yet. Say hello!", ["/#id_body"]),
    ("profile-other", "reader", "/user/author/", "author has not posted yet.", ["/"]),
    ("followers-own", "reader", "/followers/reader/", "Nobody follows you yet.", ["/search/?type=people"]),
    ("followers-other", "reader", "/followers/author/", "Nobody follows author yet.", []),
    (
        "following-own",
        "reader",
        "/following/reader/",
        "You do not follow anyone yet. Follow people to see their posts on your Followed timeline.",
        ["/search/?type=people"],
    ),
    ("following-other", "reader", "/following/author/", "author does not follow anyone yet.", []),
    (
        "bookmarks",
        "reader",
        "/bookmarks/",
        "No bookmarks yet: use a post's Bookmark button to keep it here.",
        ["/"],
    ),
    (
        "tag",
        "reader",
        "/tags/python/",
        "No posts with #python yet. Write one: put #python in its text.",
        ["/#id_body"],
    ),
    (
        "notifications",
        "reader",
        "/notifications/",
        "Nothing yet. When someone follows you, comments on your posts or mentions you, you will see it"
        " here.",
        ["/settings/email/"],
    ),
    (
        "search-posts",
        "reader",
        "/search/?q=zebra",
        "Nothing matches “zebra”. Try other or fewer words.",
        ["/search/?type=people&q=zebra"],
    ),
    (
        "search-people",
        "reader",
        "/search/?q=zebra&type=people",
        "Nobody is called “zebra”.",
        ["/search/?q=zebra"],
    ),
    (
        "search-talks",
        "reader",
        "/talks/search/?q=zebra",
        "No talk’s title or venue holds “zebra”.",
        ["/search/?q=zebra"],
    ),
    ("talks", "reader", "/talks/", "No upcoming talks.", ["/talks/past/"]),
    ("past-talks", None, "/talks/past/", "No past talks yet.", ["/talks/"]),
    (
        "schedule",
        "reader",
        "/schedule/",
        "No appointments. Add one, or add a talk to your schedule from its page.",
        ["/talks/"],
    ),
    (
        "reports",
        "moderator",
        "/moderate/reports/",
        "No open reports. All clear!",
        ["/moderate/reports/?state=resolved"],
    ),
    ("comment-moderation", "moderator", "/moderate/", "No comments yet.", ["/"]),
    (
        "pending-comments",
        "reader",
        "/talks/moderate/",
        "No comments are waiting for approval. All clear!",
        ["/talks/"],
    ),
]


@pytest.mark.parametrize(
    ("who", "path", "message", "actions"), [row[1:] for row in LISTS], ids=[row[0] for row in LISTS]
)
def test_an_empty_list_says_what_to_do_next(
    client, login, reader, author, moderator, who, path, message, actions
):
    browser = login({"reader": reader, "moderator": moderator}[who]) if who else client
    response = browser.get(path)
    assert response.status_code == 200
    assert empty_state(response.content.decode()) == (message, actions)


def test_the_followed_timeline_points_to_people_to_follow(login, reader, author):
    PostFactory(author=author)  # someone to suggest
    client = login(reader)
    client.post("/timeline/", {"show": "followed"})
    message, actions = empty_state(client.get("/").content.decode())
    assert message == "Follow people to see their posts here, or follow a tag to see its posts."
    assert actions == ["#who-to-follow-title"]


def test_a_list_with_items_shows_no_empty_state(login, reader):
    PostFactory()
    assert empty_state(login(reader).get("/").content.decode()) is None


def test_the_query_in_a_message_is_escaped(login, reader):
    content = login(reader).get("/search/?q=%3Cb%3Ezebra").content.decode()
    assert "<b>zebra" not in content and "&lt;b&gt;zebra" in content


def test_empty_states_speak_spanish(login, reader):
    client = login(reader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    reader.language = "es"
    reader.save(update_fields=["language"])
    assert empty_state(client.get("/followers/reader/").content.decode())[0] == "Todavía no te sigue nadie."
    assert empty_state(client.get("/schedule/").content.decode())[0] == (
        "No hay citas. Añade una, o añade una charla a tu agenda desde su página."
    )


def test_your_own_profile_says_you_have_no_talks_yet(login, reader):
    states = empty_states(login(reader).get("/user/reader/").content.decode())
    assert states[0] == ("You have not given a talk yet. Tell people where and when you will speak.", [])
