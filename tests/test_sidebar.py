"""The sidebar of the home and profile pages (templates/_sidebar.html): who to follow, tags, talks."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import timezone

from blog import services
from blog.tests.factories import PostFactory
from social.tests.factories import BlockFactory
from talks.tests.factories import TalkFactory
from talks.upcoming import upcoming_talks

pytestmark = pytest.mark.django_db


def sidebar(content):
    return content[
        content.index('<aside class="sidebar"') : content.index(
            "</aside>", content.index('<aside class="sidebar"')
        )
    ]


def talk_titles(content):
    block = sidebar(content)
    talks = block[block.index('id="sidebar-talks-title"') :]
    return re.findall(r'<a class="fw-semibold" href="/talks/\d+/">([^<]*)</a>', talks)


def in_days(days):
    return timezone.now() + timedelta(days=days)


@pytest.mark.parametrize("path", ["/", "/user/author/"], ids=["home", "profile"])
def test_the_sidebar_lists_the_next_three_talks_soonest_first(client, author, path):
    for title, days in [("Later", 9), ("Soonest", 1), ("Past", -1), ("Next", 3), ("Last", 5)]:
        TalkFactory(date=in_days(days), post__title=title)
    assert talk_titles(client.get(path).content.decode()) == ["Soonest", "Next", "Last"]


def test_no_talks_coming_up_says_so(client):
    TalkFactory(date=in_days(-2))
    block = sidebar(client.get("/").content.decode())
    assert "No talks are coming up." in block and 'href="/talks/"' in block


def test_talks_coming_up_are_read_once_a_minute(django_assert_num_queries):
    TalkFactory()
    with django_assert_num_queries(1):
        first = upcoming_talks(AnonymousUser())
    with django_assert_num_queries(0):
        assert upcoming_talks(AnonymousUser()) == first


def test_a_blocked_speakers_talk_stays_out_of_the_sidebar(login, reader):
    blocked = TalkFactory(post__title="Blocked")
    TalkFactory(post__title="Welcome", date=in_days(8))
    BlockFactory(blocker=reader, blocked=blocked.post.author)
    cache.clear()
    assert talk_titles(login(reader).get("/").content.decode()) == ["Welcome"]


def test_your_tags_are_listed_and_follow_your_changes(login, reader):
    client = login(reader)
    assert "Follow a tag from its page" in sidebar(client.get("/").content.decode())
    client.post("/tags/python/follow/", {"action": "follow"})
    client.post("/tags/django/follow/", {"action": "follow"})
    block = sidebar(client.get("/").content.decode())
    assert re.findall(r'<a class="tag-link" href="/tags/(\w+)/">', block) == ["django", "python"]
    client.post("/tags/python/follow/", {"action": "unfollow"})
    block = sidebar(client.get("/user/reader/").content.decode())
    assert re.findall(r'<a class="tag-link" href="/tags/(\w+)/">', block) == ["django"]


def test_your_tags_cost_no_query_once_read(reader, django_assert_num_queries):
    services.follow_tag(user=reader, name="python")
    services.followed_tag_names(reader)
    with django_assert_num_queries(0):
        assert services.followed_tag_names(reader) == ["python"]


def test_a_stranger_sees_talks_but_no_tags_nor_suggestions(client):
    PostFactory()
    block = sidebar(client.get("/").content.decode())
    assert 'id="sidebar-talks-title"' in block
    assert 'id="sidebar-tags-title"' not in block and "Who to follow" not in block


def test_the_sidebar_follows_the_list_on_phones(client):
    """One column below 992 px: the sidebar comes after the posts in the page's order (Bootstrap's col-lg)."""
    content = client.get("/").content.decode()
    assert content.index('<section aria-labelledby="timeline-title">') < content.index(
        '<div class="col-lg-4">'
    )
    assert content.index('<div class="col-lg-4">') < content.index('<aside class="sidebar"')


def test_a_logged_in_home_page_shows_all_three(login, reader, author):
    PostFactory(author=author)
    TalkFactory(post__title="Soon")
    services.follow_tag(user=reader, name="python")
    block = sidebar(login(reader).get("/").content.decode())
    assert f'id="suggestion-{author.pk}"' in block
    assert 'href="/tags/python/"' in block
    assert "Soon" in block
