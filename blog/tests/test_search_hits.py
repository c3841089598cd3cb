"""The search's ranked rows kept under the page generation (blog.search._hits): shared by readers whose
visibility rule is the same SQL, and every change to what a result shows or who may see it answered on the
next search."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.backends import RoleBackend
from accounts.tests.factories import UserFactory
from blog import search
from blog.models import Moderation, Post
from blog.search import search_posts
from blog.tests.factories import PostFactory
from social.models import Block, Mute

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kept(settings):
    settings.FLASKY_PAGE_CACHE_SECONDS = 60


@pytest.fixture
def runs(monkeypatch):
    """The searches the engine ran (the cache's misses)."""
    ran = []
    engine = search._search

    def counted(terms, visible, **kwargs):
        ran.append(terms)
        return engine(terms, visible, **kwargs)

    monkeypatch.setattr(search, "_search", counted)
    return ran


def member():
    """A member as the session loads one: with the facts the visibility rule reads (ViewerFacts)."""
    return RoleBackend().get_user(UserFactory().pk)


def found(viewer, text="zebra"):
    return [post.title for post in search_posts(text, viewer=viewer, offset=0, limit=20)]


def test_readers_with_the_same_rule_share_one_search(runs):
    PostFactory(title="Zebra")
    first, second = member(), member()
    assert found(first) == found(second) == found(AnonymousUser()) == ["Zebra"]
    assert found(first) == ["Zebra"]
    assert len(runs) == 1


def test_each_query_and_page_is_its_own(runs):
    PostFactory(title="Zebra lion")
    reader = member()
    assert found(reader, "zebra") == found(reader, "lion") == ["Zebra lion"]
    assert search_posts("zebra", viewer=reader, offset=20, limit=20) == []
    assert len(runs) == 3


def test_a_reader_who_blocks_the_author_gets_their_own_answer(runs):
    post = PostFactory(title="Zebra")
    blocker, other = member(), member()
    Block.objects.create(blocker=blocker, blocked=post.author)
    assert found(other) == ["Zebra"]
    assert found(blocker) == []


@pytest.mark.parametrize("relation", ["blocks", "is blocked by", "mutes"])
@pytest.mark.parametrize("with_facts", [True, False], ids=["session", "without facts"])
def test_a_block_or_mute_made_between_two_searches_shows_on_the_second(relation, with_facts, runs):
    """Read with the session's facts the rule names the people as ids (a new key); without them (an API
    caller by password) it reads them in subqueries that no generation follows, so nothing is kept."""
    post = PostFactory(title="Zebra")
    reader = member() if with_facts else UserFactory()
    assert found(reader) == ["Zebra"]
    if relation == "blocks":
        Block.objects.create(blocker=reader, blocked=post.author)
    elif relation == "is blocked by":
        Block.objects.create(blocker=post.author, blocked=reader)
    else:
        Mute.objects.create(muter=reader, muted=post.author)
    if with_facts:
        reader = RoleBackend().get_user(reader.pk)  # the next request's session user
    assert found(reader) == []


@pytest.mark.parametrize(
    "change",
    [
        lambda post: PostFactory(title="Zebra two"),
        lambda post: Post.objects.filter(pk=post.pk).update(title="Zebra renamed"),
        lambda post: post.delete(),
        lambda post: Post.objects.filter(pk=post.pk).update(moderation=Moderation.HIDDEN),
    ],
    ids=["new post", "edited", "deleted", "hidden"],
)
def test_a_change_shows_on_the_next_search(change, runs):
    post = PostFactory(title="Zebra")
    reader = member()
    before = found(reader)
    change(post)
    after = found(reader)
    assert before == ["Zebra"]
    assert after != before
    assert after == found(reader)  # (kept again under the new generation)
    assert len(runs) == 2


def test_nothing_is_kept_without_the_page_cache(settings, runs):
    settings.FLASKY_PAGE_CACHE_SECONDS = 0
    PostFactory(title="Zebra")
    reader = member()
    assert found(reader) == found(reader) == ["Zebra"]
    assert len(runs) == 2


def test_nothing_is_kept_while_replicas_may_lag(monkeypatch, runs):
    monkeypatch.setattr(search.pagecache, "settled", lambda generation: False)
    PostFactory(title="Zebra")
    reader = member()
    assert found(reader) == found(reader) == ["Zebra"]
    assert len(runs) == 2
