"""Comments that converse: replies (one level of nesting), editing your own comment, deleting one, with the
query count of a post page full of threads fixed. (The API's side: api/tests/test_replies.py.)"""

import pytest

from accounts.models import Notification, NotificationType
from accounts.tests.factories import UserFactory
from blog.models import Comment, Mention
from blog.tests.factories import CommentFactory, LikeFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_a_reply_sits_under_its_comment(reader_client, reader):
    top = CommentFactory()
    response = reader_client.post(top.post.get_absolute_url(), {"body": "Agreed", "in_reply_to": top.pk})
    reply = Comment.objects.get(author=reader)
    assert response["Location"] == f"{top.post.get_absolute_url()}?page=1#comment-{reply.pk}"
    assert reply.in_reply_to == top
    page = reader_client.get(top.post.get_absolute_url())
    assert list(page.context["page"]) == [top]
    assert page.context["page"][0].thread_replies == [reply]


def test_a_reply_to_a_reply_joins_the_thread_and_mentions_its_author(reader_client, reader):
    top = CommentFactory()
    alice = UserFactory(username="alice")
    first = CommentFactory(post=top.post, in_reply_to=top, author=alice)
    reader_client.post(top.post.get_absolute_url(), {"body": "You too", "in_reply_to": first.pk})
    reply = Comment.objects.get(author=reader)
    assert reply.in_reply_to == top
    assert reply.body == "@alice You too"


def test_a_reply_tells_the_author_on_the_site_only(reader, author, mailoutbox):
    from blog import services

    top = CommentFactory(author=author)
    reply = services.publish_comment(post=top.post, author=reader, body="hi", in_reply_to=top)
    replies = Notification.objects.filter(kind=NotificationType.REPLY)
    assert [(note.recipient_id, note.actor_id, note.target_id) for note in replies] == [
        (author.pk, reader.pk, reply.pk)
    ]
    assert all(author.email not in message.to for message in mailoutbox)


def test_a_reply_to_a_comment_on_another_post_is_a_400(reader_client):
    other = CommentFactory()
    post = PostFactory()
    response = reader_client.post(post.get_absolute_url(), {"body": "Hm", "in_reply_to": other.pk})
    assert response.status_code == 400
    assert "same post" in response.content.decode()
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("reply_to", ["999999", "abc", "-1", "99999999999999999999"])
def test_a_reply_to_an_unknown_comment_is_refused(reader_client, reply_to):
    post = PostFactory()
    response = reader_client.post(post.get_absolute_url(), {"body": "Hm", "in_reply_to": reply_to})
    assert response.status_code in (400, 404)
    assert not Comment.objects.exists()


def test_a_reply_to_a_comment_the_reader_cannot_see_is_a_404(reader_client):
    pending = CommentFactory(approved=False, author=None, guest_name="Guest")
    response = reader_client.post(pending.post.get_absolute_url(), {"body": "Hm", "in_reply_to": pending.pk})
    assert response.status_code == 404
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("threads", [1, 30])
def test_post_page_full_of_threads_and_likes_in_fixed_queries(
    login, reader, threads, django_assert_num_queries
):
    post = PostFactory()
    LikeFactory(post=post, user=reader)
    for top in CommentFactory.create_batch(threads, post=post):
        LikeFactory(post=None, comment=top, user=reader)
        for reply in CommentFactory.create_batch(2, post=post, in_reply_to=top):
            LikeFactory(post=None, comment=reply)
    client = login(reader)
    client.get("/")
    # the post (no pictures: no query for them), a page of top comments (one row more: no count,
    # the page is the only one) and their replies, each with whether the reader liked it, the reader's like
    # and bookmark of the post; whether the reader wrote a comment on it that others do not see (a page
    # kept for readers of a kind is never theirs: flasky_project.shells)
    # (the session's user is its copy kept in the cache: accounts.backends)
    with django_assert_num_queries(5):
        response = client.get(post.get_absolute_url())
    page = response.context["page"]
    assert len(page) == threads
    assert all(top.viewer_liked and len(top.thread_replies) == 2 for top in page)
    assert all(reply.like_count == 1 for top in page for reply in top.thread_replies)
    # kept whole: their like and bookmark of the post, their likes among the comments
    with django_assert_num_queries(2):
        kept = client.get(post.get_absolute_url())
    assert kept.content.decode().count('aria-pressed="true"') == response.content.decode().count(
        'aria-pressed="true"'
    )


# --- editing ----------------------------------------------------------------------------------------------


def test_editing_my_comment_marks_it_edited_and_keeps_the_old_text_for_moderators(
    reader_client, reader, moderator_client
):
    comment = CommentFactory(author=reader, body="Teh typo")
    assert reader_client.get(f"/comment/{comment.pk}/edit/").status_code == 200
    response = reader_client.post(f"/comment/{comment.pk}/edit/", {"body": "The *fix*"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.body, comment.body_html, comment.previous_body) == (
        "The *fix*",
        "The <em>fix</em>",
        "Teh typo",
    )
    assert comment.edited is not None
    page = reader_client.get(comment.post.get_absolute_url()).content.decode()
    assert "data-edited" in page and "Teh typo" not in page
    assert "Teh typo" in moderator_client.get(comment.post.get_absolute_url()).content.decode()


def test_editing_someone_else_s_comment_is_a_403(reader_client, moderator_client):
    comment = CommentFactory(body="Theirs")
    assert reader_client.post(f"/comment/{comment.pk}/edit/", {"body": "Mine"}).status_code == 403
    assert moderator_client.post(f"/comment/{comment.pk}/edit/", {"body": "Mine"}).status_code == 403
    comment.refresh_from_db()
    assert (comment.body, comment.edited) == ("Theirs", None)


def test_an_empty_edit_is_a_400(reader_client, reader):
    comment = CommentFactory(author=reader, body="Keep")
    assert reader_client.post(f"/comment/{comment.pk}/edit/", {"body": ""}).status_code == 400
    comment.refresh_from_db()
    assert comment.body == "Keep"


def test_the_comment_preview_renders_as_a_comment(reader_client):
    response = reader_client.post("/post/preview/", {"body": "# Title *x*", "kind": "comment"})
    assert "<h1>" not in response.json()["html"]


# --- deleting ---------------------------------------------------------------------------------------------


def test_deleting_a_comment_without_replies_removes_it(reader_client, reader):
    comment = CommentFactory(author=reader)
    response = reader_client.post(f"/comment/{comment.pk}/delete/", {"next": "/post/1/"})
    assert response["Location"] == "/post/1/"
    assert not Comment.objects.exists()


def test_deleting_a_comment_with_replies_leaves_a_placeholder(author_client, author):
    post = PostFactory(author=author)
    top = CommentFactory(post=post, body="Gone soon")
    reply = CommentFactory(post=post, in_reply_to=top)
    author_client.post(f"/comment/{top.pk}/delete/")  # the post's author may
    top.refresh_from_db()
    assert (top.deleted, top.body, top.body_html) == (True, "", "")
    html = author_client.get(post.get_absolute_url()).content.decode()
    assert "This comment was deleted." in html and "Gone soon" not in html
    assert f'id="comment-{reply.pk}"' in html
    # its last reply going takes the placeholder with it
    author_client.post(f"/comment/{reply.pk}/delete/")
    assert not Comment.objects.exists()


def test_others_cannot_delete_a_comment(reader_client):
    comment = CommentFactory()
    assert reader_client.post(f"/comment/{comment.pk}/delete/").status_code == 403
    assert Comment.objects.filter(pk=comment.pk, deleted=False).exists()


def test_a_moderator_deletes_any_comment(moderator_client):
    comment = CommentFactory()
    moderator_client.post(f"/comment/{comment.pk}/delete/")
    assert not Comment.objects.exists()


@pytest.mark.parametrize("on_her_own_post", [False, True], ids=["someone-elses-post", "her-own-post"])
def test_a_reply_that_mentions_the_author_it_answers_tells_them_once(
    reader, author, on_her_own_post, django_capture_on_commit_callbacks
):
    """One event tells a person once: a reply to alice's comment that also mentions her is one notification
    (the reply), not a reply and a mention (nor a new comment in the post's round, when the post is hers and
    she hears of every comment on it)."""
    from blog import services

    alice = UserFactory(username="alice")
    post = PostFactory(author=alice if on_her_own_post else author)
    with django_capture_on_commit_callbacks(execute=True):  # the comment round runs once committed
        top = services.publish_comment(post=post, author=alice, body="What a trip", notify=True)
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.publish_comment(post=post, author=reader, body="@alice it was!", in_reply_to=top)
    told = Notification.objects.filter(recipient=alice)
    assert [(note.kind, note.actor_id, note.target_id) for note in told] == [
        (NotificationType.REPLY, reader.pk, reply.pk)
    ]
    # The mention is kept, so an edit that repeats it does not tell her again.
    assert Mention.objects.filter(comment=reply, user=alice).exists()
    services.edit_comment(reply, by=reader, body="@alice it really was!")
    assert told.count() == 1


def test_a_reply_mentions_someone_else_too(reader, author):
    from blog import services

    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    top = services.publish_comment(post=PostFactory(author=author), author=alice, body="What a trip")
    services.publish_comment(post=top.post, author=reader, body="@alice @bob look", in_reply_to=top)
    assert list(Notification.objects.filter(recipient=alice).values_list("kind", flat=True)) == [
        NotificationType.REPLY
    ]
    assert list(Notification.objects.filter(recipient=bob).values_list("kind", flat=True)) == [
        NotificationType.MENTION
    ]
