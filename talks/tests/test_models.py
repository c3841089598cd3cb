"""Talks as posts with details: what they hold, how lists order them, and how the blog's lists show them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from blog.models import Post, PostKind
from blog.tests.factories import CommentFactory, PostFactory
from talks import services
from talks.models import Talk
from talks.tests.factories import GuestCommentFactory, TalkFactory

pytestmark = pytest.mark.django_db


def test_a_talk_is_a_post_with_details(author):
    date = timezone.now() + timedelta(days=3)
    talk = services.publish_talk(
        author=author,
        title="Flask by Example",
        body="An *introduction*.",
        date=date,
        venue="PyCon 2014",
        venue_url="https://us.pycon.org/2014/",
        video_url="https://youtu.be/dQw4w9WgXcQ",
    )
    post = Post.objects.get()
    assert talk.post == post and post.talk == talk
    assert (post.title, post.author, post.body_html) == (
        "Flask by Example",
        author,
        "<p>An <em>introduction</em>.</p>",
    )
    assert str(talk) == "Flask by Example" and talk.speaker == author
    assert talk.get_absolute_url() == f"/talks/{post.pk}/"
    assert talk.get_edit_url() == f"/talks/{post.pk}/edit/"


def test_deleting_the_post_deletes_the_talk_and_its_comments():
    talk = TalkFactory()
    GuestCommentFactory(post=talk.post)
    talk.post.delete()
    assert not Talk.objects.exists()


def test_editing_a_talk_changes_the_post_and_the_details():
    talk = TalkFactory(venue="Old venue")
    services.edit_talk(talk, title="New title", body="New *abstract*", venue="New venue")
    talk.refresh_from_db()
    assert (talk.post.title, talk.post.body_html, talk.venue) == (
        "New title",
        "<p>New <em>abstract</em></p>",
        "New venue",
    )


@pytest.mark.parametrize("field", ["venue_url", "video_url", "slides_url"])
@pytest.mark.parametrize(
    "value", ["javascript:alert(1)", "data:text/html,x", "ftp://example.com/x", "nonsense"]
)
def test_addresses_must_be_web_pages(field, value):
    talk = TalkFactory.build(post=PostFactory(), **{field: value})
    with pytest.raises(ValidationError) as error:
        talk.full_clean()
    assert field in error.value.message_dict


def test_upcoming_is_soonest_first_and_past_most_recent_first():
    now = timezone.now()
    later = TalkFactory(date=now + timedelta(days=30))
    soon = TalkFactory(date=now + timedelta(hours=1))
    yesterday = TalkFactory(date=now - timedelta(days=1))
    last_year = TalkFactory(date=now - timedelta(days=365))
    assert list(Talk.objects.upcoming(now)) == [soon, later]
    assert list(Talk.objects.past(now)) == [yesterday, last_year]
    assert soon.is_upcoming(now) and not yesterday.is_upcoming(now)


def test_by_lists_a_speakers_talks(author):
    mine = TalkFactory(post__author=author)
    TalkFactory()
    assert list(Talk.objects.by(author)) == [mine]


def test_for_list_counts_published_comments_only():
    talk = TalkFactory()
    CommentFactory.create_batch(2, post=talk.post)
    GuestCommentFactory(post=talk.post)
    assert Talk.objects.for_list().get().comment_count == 2


def test_blog_lists_get_talk_details_in_the_same_query(django_assert_num_queries):
    talks = TalkFactory.create_batch(3)
    plain = PostFactory()
    # (+1: the pictures of the page's posts, one query: Post.objects.for_list)
    with django_assert_num_queries(2):
        posts = {post.pk: post for post in Post.objects.for_list()}
        assert not posts[plain.pk].is_talk
        assert posts[plain.pk].get_absolute_url() == f"/post/{plain.pk}/"
        for talk in talks:
            post = posts[talk.pk]
            assert post.is_talk and post.talk == talk and post.talk.venue == talk.venue
            assert (post.get_absolute_url(), post.get_edit_url()) == (
                f"/talks/{talk.pk}/",
                f"/talks/{talk.pk}/edit/",
            )


def test_a_talk_makes_its_post_a_talk_and_deleting_it_in_the_admin_makes_it_a_post_again(
    administrator_client,
):
    talk = TalkFactory()
    assert Post.objects.get(pk=talk.pk).kind == PostKind.TALK
    response = administrator_client.post(f"/admin/talks/talk/{talk.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    post = Post.objects.get(pk=talk.pk)
    assert post.kind == PostKind.POST and not Talk.objects.filter(pk=talk.pk).exists()
    assert post.get_absolute_url() == f"/post/{post.pk}/"


def test_a_post_marked_a_talk_without_details_breaks_no_page(client, reader):
    # Its details deleted by hand (a shell, a bulk delete): lists show it as a plain post, its page is a 404.
    from accounts.tests.factories import PASSWORD
    from api.tests.helpers import api_headers

    post = PostFactory(kind=PostKind.TALK, title="Orphan")
    assert client.get("/").status_code == 200
    assert client.get(f"/talks/{post.pk}/").status_code == 404
    response = client.get("/api/v1/posts/", headers=api_headers(reader.email, PASSWORD))
    assert response.status_code == 200
    assert response.json()["posts"][0]["talk"] is None
