"""A token's account is kept with the facts the visibility rule needs about its owner (api.tokens,
blog.models.ViewerFacts), as a session's user is read with them: the lists then use the rule's simpler form,
and whatever changes those facts (a block, either way, a mute, a muted word, a post of theirs held, hidden or
shown again, a timed mute that ends) shows on the very next request."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import UserFactory
from api import post_cache
from api.tests.helpers import api_headers
from api.tokens import make_token, user_for_token
from blog.models import Moderation, Post
from blog.tests.factories import PostFactory
from moderation import services as moderation
from moderation.models import Action, Reason
from social import services as social
from social.models import Mute

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kept_accounts(settings):
    # One process here, so its local cache is shared by every request (production needs REDIS_URL for it).
    settings.API_TOKEN_ACCOUNT_SECONDS = 300
    settings.FLASKY_REPORTS_TO_HOLD = 1
    post_cache._keys_queries.clear()
    yield
    post_cache._keys_queries.clear()


def listed(client, token):
    response = client.get("/api/v1/posts/", headers=api_headers(token))
    assert response.status_code == 200, response.content[:300]
    return {item["url"] for item in response.json()["posts"]}


def url(post):
    return f"/api/v1/posts/{post.pk}"


def test_a_token_s_account_carries_its_facts_and_its_list_names_them(client, reader, author):
    PostFactory(author=author)
    social.block(blocker=reader, blocked=UserFactory())
    token = make_token(reader)
    listed(client, token)
    with CaptureQueriesContext(connection) as queries:
        listed(client, token)
    kept = user_for_token(token)
    assert kept.visibility_facts is not None and len(kept.visibility_facts.unwanted) == 1
    (keys,) = [query["sql"] for query in queries if " OFFSET " in query["sql"]]
    # The facts' rule: the blocked id named, no subquery of blocks or mutes, no "or written by me".
    assert "social_block" not in keys and "social_mute" not in keys
    assert f'"blog_post"."author_id" = {reader.pk}' not in keys


def test_blocks_and_unblocks_show_on_the_next_request_on_both_sides(client, reader, author):
    mine, theirs = PostFactory(author=reader), PostFactory(author=author)
    reader_token, author_token = make_token(reader), make_token(author)
    assert listed(client, reader_token) == listed(client, author_token) == {url(mine), url(theirs)}
    social.block(blocker=reader, blocked=author)
    assert listed(client, reader_token) == {url(mine)}
    assert listed(client, author_token) == {url(theirs)}  # (the blocked side too)
    social.unblock(blocker=reader, blocked=author)
    assert listed(client, reader_token) == listed(client, author_token) == {url(mine), url(theirs)}


def test_mutes_show_on_the_next_request(client, reader, author):
    post = PostFactory(author=author)
    token, author_token = make_token(reader), make_token(author)
    assert listed(client, token) == {url(post)}
    social.mute(muter=reader, muted=author, days=7)
    assert listed(client, token) == set()
    assert listed(client, author_token) == {url(post)}  # (a mute changes nothing for the muted)
    social.unmute(muter=reader, muted=author)
    assert listed(client, token) == {url(post)}


def test_a_timed_mute_ends_on_time(client, reader, author, monkeypatch):
    post = PostFactory(author=author)
    token = make_token(reader)
    social.mute(muter=reader, muted=author, days=1)
    assert listed(client, token) == set()
    # The mute ends (in the database, whose clock the facts read, as in the application's): no signal.
    Mute.objects.filter(muter=reader).update(until=timezone.now() - timedelta(seconds=1))
    later = timezone.now() + timedelta(days=1, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert listed(client, token) == {url(post)}


def test_a_muted_word_shows_on_the_next_request(client, reader):
    token = make_token(reader)
    listed(client, token)
    assert user_for_token(token).visibility_facts.has_muted_words is False
    word = social.mute_word(user=reader, word="spoilers")
    assert user_for_token(token).visibility_facts.has_muted_words is True
    social.unmute_word(user=reader, pk=word.pk)
    assert user_for_token(token).visibility_facts.has_muted_words is False


def test_a_held_or_hidden_post_stays_listed_for_its_author(client, reader, moderator):
    own = PostFactory(author=reader)
    token = make_token(reader)
    assert listed(client, token) == {url(own)}
    assert user_for_token(token).visibility_facts.has_withheld_posts is False
    filed = moderation.report(reporter=UserFactory(), target=own, reason=Reason.SPAM)  # (held at once)
    assert Post.objects.get(pk=own.pk).moderation == Moderation.HELD
    assert listed(client, token) == {url(own)}  # its author still sees it
    assert listed(client, make_token(moderator)) == {url(own)}
    assert listed(client, make_token(UserFactory())) == set()
    moderation.resolve(filed, by=moderator, action=Action.HIDE)
    assert Post.objects.get(pk=own.pk).moderation == Moderation.HIDDEN
    assert listed(client, token) == {url(own)}
    assert user_for_token(token).visibility_facts.has_withheld_posts is True


def test_a_released_post_lets_its_author_use_the_simpler_rule_again(reader, moderator):
    own = PostFactory(author=reader)
    token = make_token(reader)
    filed = moderation.report(reporter=UserFactory(), target=own, reason=Reason.SPAM)
    assert user_for_token(token).visibility_facts.has_withheld_posts is True
    moderation.resolve(filed, by=moderator, action=Action.DISMISS)
    assert user_for_token(token).visibility_facts.has_withheld_posts is False


def test_the_facts_cost_no_query_of_their_own(client, reader, author, django_assert_num_queries):
    PostFactory.create_batch(3, author=author)
    social.block(blocker=reader, blocked=UserFactory())
    headers = api_headers(make_token(reader))
    # The account with its facts (one query), the cached count, the page's keys and its rows.
    with django_assert_num_queries(4):
        assert client.get("/api/v1/posts/", headers=headers).status_code == 200
    # Then the account and the count come from the cache: the page's keys and its rows.
    with django_assert_num_queries(2):
        assert client.get("/api/v1/posts/", headers=headers).status_code == 200
