"""@username in posts and comments: a link to the profile (blog.markdown), and a notification, once per post
or comment (blog.services.notify_mentions), through the one recipient rule."""

from unittest import mock

import pytest

from accounts.models import Notification
from accounts.tests.factories import UserFactory
from blog import services
from blog.markdown import COMMENT_TAGS, find_mentions, render_markdown
from blog.models import Mention
from blog.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

LINK = '<a href="/user/alice/" rel="nofollow ugc noopener">@alice</a>'


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob")


def mentions_of(user):
    notes = Notification.objects.filter(recipient=user, kind="mention")
    return list(notes.values_list("actor__username", "target_id"))


def test_a_mention_links_to_the_profile(alice):
    assert render_markdown("Thanks @alice.") == f"<p>Thanks {LINK}.</p>"


def test_mentions_are_case_insensitive_and_show_the_real_name(alice):
    assert render_markdown("hi @ALICE", allowed=COMMENT_TAGS) == f"hi {LINK}"


def test_several_mentions_in_text_and_after_other_elements(alice, bob):
    html = render_markdown("**hey** @alice and @bob, *also* @alice")
    assert html.count(LINK) == 2 and '<a href="/user/bob/" rel="nofollow ugc noopener">@bob</a>' in html


@pytest.mark.parametrize(
    "text",
    ["`@alice`", "```\n@alice\n```", "[see @alice](https://x.example)", "mail alice@example.com", r"\@alice"],
    ids=["code-span", "code-block", "link", "email-address", "escaped"],
)
def test_no_mention_inside_code_links_or_addresses(alice, text):
    assert 'href="/user/alice/"' not in render_markdown(text)
    assert find_mentions(text) == []


def test_unknown_or_inactive_usernames_stay_text(db):
    UserFactory(username="gone", is_active=False)
    assert render_markdown("@nobody and @gone") == "<p>@nobody and @gone</p>"


def test_rendering_a_text_without_mentions_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        render_markdown("no names here, just an address: a@b.com")


def test_a_post_that_mentions_someone_tells_them(author, alice):
    post = services.publish_post(author=author, body="Hello @alice")
    assert mentions_of(alice) == [("author", post.pk)]
    (notification,) = Notification.objects.filter(recipient=alice)
    assert notification.url == post.get_absolute_url()


def test_a_comment_that_mentions_someone_tells_them_once_with_a_link_to_the_comment(author, alice, bob):
    post = PostFactory(author=author)
    comment = services.publish_comment(post=post, author=bob, body="@alice look, @alice")
    assert mentions_of(alice) == [("bob", comment.pk)]
    (notification,) = Notification.objects.filter(recipient=alice)
    assert notification.url == f"/post/{post.pk}/?page=1#comment-{comment.pk}"


def test_an_edit_that_adds_a_mention_tells_only_the_new_one(author, alice, bob):
    post = services.publish_post(author=author, body="Hello @alice")
    services.edit_post(post, body="Hello @alice and @bob")
    services.edit_post(post, body="Hello again")
    services.edit_post(post, body="Hello @alice and @bob, once more")
    assert mentions_of(alice) == [("author", post.pk)]
    assert mentions_of(bob) == [("author", post.pk)]
    assert Mention.objects.filter(post=post).count() == 2


def test_mentioning_yourself_tells_nobody(author):
    services.publish_post(author=author, body="I am @author")
    assert not Notification.objects.exists()


def test_a_guests_comment_waiting_for_approval_mentions_nobody(author, alice):
    post = PostFactory(author=author)
    services.publish_comment(
        post=post, body="@alice", guest_name="G", guest_email="g@example.com", approved=False
    )
    assert mentions_of(alice) == []


def test_nobody_who_refuses_the_author_is_told(author, alice):
    def accepting(users, *, actor):
        return users.exclude(pk=alice.pk) if actor is not None and actor.pk == author.pk else users

    with mock.patch("accounts.notifications._accepting", accepting):
        services.publish_post(author=author, body="Hello @alice")
    assert mentions_of(alice) == []


def test_deleting_the_comment_deletes_the_mention_and_its_notification(author, alice, bob):
    comment = services.publish_comment(post=PostFactory(author=author), author=bob, body="@alice")
    comment.delete()
    assert mentions_of(alice) == [] and not Mention.objects.exists()
