"""A post's page and a profile's talks and counts read with SQL kept per reader (blog.ruled_rows): what the
kept SQL reads is what the ORM reads on the request, for readers of every kind and comments of every kind,
on the first request and on the next ones (when the kept SQL is used), and a change shows on the next
request."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.utils import timezone

from accounts.backends import RoleBackend
from accounts.models import User
from accounts.tests.factories import ModeratorFactory, UserFactory
from blog import ruled_rows
from blog.models import Comment, Moderation, Post
from blog.tests.factories import CommentFactory, LikeFactory, PostFactory
from blog.tests.factories import stored_picture as picture
from social.models import Block, Follow, Mute
from social.tests.factories import FollowFactory
from talks import views as talk_views
from talks.models import Talk
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(author):
    """A post with comments of every kind a reader may or may not see: plain, liked, pending, disabled,
    deleted, held, by a suspended member, by people the readers block or mute, and replies."""
    post = PostFactory(author=author, title="Threads")
    people = {name: UserFactory(username=name) for name in ("alice", "bob", "blocked", "muted", "gone")}
    people["gone"].suspended_until = timezone.now() + datetime.timedelta(days=3)
    people["gone"].save()
    tops = [
        CommentFactory(post=post, author=people["alice"], body="plain"),
        CommentFactory(post=post, author=people["bob"], body="liked"),
        CommentFactory(post=post, author=people["bob"], body="pending", approved=False),
        CommentFactory(post=post, author=people["alice"], body="disabled", disabled=True),
        CommentFactory(post=post, author=people["alice"], body="deleted", deleted=True),
        CommentFactory(post=post, author=people["bob"], body="held", moderation=Moderation.HELD),
        CommentFactory(post=post, author=people["gone"], body="suspended"),
        CommentFactory(post=post, author=people["blocked"], body="blocked"),
        CommentFactory(post=post, author=people["muted"], body="muted"),
    ]
    for top in tops[:2]:
        CommentFactory(post=post, author=people["bob"], in_reply_to=top, body="reply")
        CommentFactory(post=post, author=people["blocked"], in_reply_to=top, body="blocked reply")
    LikeFactory(post=None, comment=tops[1], user=people["alice"])
    return post, people


def readers(author, people):
    """Readers whose rule differs: visitors, members (loaded by a session, with the facts, or plainly),
    the post's author, moderators, readers who block, mute or are blocked, with a withheld post, suspended."""
    member, blocking, muting, blocked, withheld, suspended = (
        UserFactory(username=name)
        for name in ("member", "blocking", "muting", "blocked_by", "withheld", "sus")
    )
    Block.objects.create(blocker=blocking, blocked=people["blocked"])
    Block.objects.create(blocker=people["blocked"], blocked=blocked)
    Mute.objects.create(muter=muting, muted=people["muted"])
    PostFactory(author=withheld, moderation=Moderation.HIDDEN)
    suspended.suspended_until = timezone.now() + datetime.timedelta(days=1)
    suspended.save()
    LikeFactory(post=None, comment=Comment.objects.get(body="liked"), user=member)
    moderator = ModeratorFactory(username="mod")
    session = RoleBackend().get_user
    found = {"visitor": AnonymousUser(), "moderator": moderator, "moderator (session)": session(moderator.pk)}
    for user in (member, blocking, muting, blocked, withheld, suspended, author, people["bob"]):
        found[user.username] = User.objects.get(pk=user.pk)
        found[f"{user.username} (session)"] = session(user.pk)
    return found


def seen(comments):
    return [(c.pk, c.body, c.like_count, c.viewer_liked, c.author.username) for c in comments]


def orm_tops(post, viewer):
    liked = set(viewer.likes.values_list("comment", flat=True)) if viewer.is_authenticated else set()
    comments = list(Comment.objects.visible_to(viewer).on(post).top_level().for_page())
    for comment in comments:
        comment.viewer_liked = comment.pk in liked
    return comments


def test_the_comments_are_the_orm_s_for_every_reader(author, thread):
    post, people = thread
    for name, viewer in readers(author, people).items():
        expected = orm_tops(post, viewer)
        for _ in range(2):  # compiled, then kept
            tops = ruled_rows.top_level_comments(post, viewer, offset=0, limit=31)
            assert seen(tops) == seen(expected), name
            replies = ruled_rows.replies(post, viewer, tops)
            orm_replies = Comment.objects.visible_to(viewer).on(post).replies_to(tops).for_page()
            assert [reply.pk for reply in replies] == [reply.pk for reply in orm_replies], name
        assert seen(ruled_rows.top_level_comments(post, viewer, offset=2, limit=3)) == seen(expected[2:5]), (
            name
        )


def test_the_post_is_the_orm_s_for_every_reader(author, thread):
    post, people = thread
    hidden = PostFactory(author=people["blocked"], title="Hidden from some")
    held = PostFactory(author=author, moderation=Moderation.HELD)
    with_pictures = PostFactory(author=people["alice"])
    picture(with_pictures, alt="A picture")
    TalkFactory(post__author=author, venue="Lisbon")
    talk = Talk.objects.get().post
    for name, viewer in readers(author, people).items():
        for each in (post, hidden, held, with_pictures, talk):
            expected = Post.objects.visible_to(viewer).for_list().filter(pk=each.pk).first()
            for _ in range(2):
                found = ruled_rows.visible_post(each.pk, viewer)
                assert (found is None) == (expected is None), (name, each.title)
                if found is not None:
                    assert (found.title, found.comment_count, found.like_count, found.author.username) == (
                        expected.title,
                        expected.comment_count,
                        expected.like_count,
                        expected.author.username,
                    )
                    assert [p.alt for p in found.pictures.all()] == [p.alt for p in expected.pictures.all()]
                    assert getattr(found, "talk", None) == getattr(expected, "talk", None)


def test_the_kept_sql_is_compiled_once_per_reader(thread, reader):
    post, _people = thread
    ruled_rows._tops.queries.clear()
    for _ in range(3):
        ruled_rows.top_level_comments(post, reader, offset=0, limit=31)
        ruled_rows.top_level_comments(post, AnonymousUser(), offset=0, limit=31)
    assert len(ruled_rows._tops.queries) == 2
    assert all(query.prepared for query in ruled_rows._tops.queries.values())
    reader.role = "moderator"  # a reader whose state changes gets SQL of their own
    ruled_rows.top_level_comments(post, reader, offset=0, limit=31)
    assert len(ruled_rows._tops.queries) == 3


def test_a_post_with_pictures_reads_them_in_one_query_more(client, django_assert_num_queries):
    post = PostFactory()
    picture(post, alt="Sunrise")
    CommentFactory(post=post)
    with django_assert_num_queries(4):  # the post, its pictures, the comments, their replies
        response = client.get(f"/post/{post.pk}/")
    assert 'alt="Sunrise"' in response.content.decode()


def _change(kind, post, comment, reader):
    """Make one change a reader of ``post`` would see; returns the text to find (or not) on the page."""
    if kind == "comment added":
        CommentFactory(post=post, body="A brand new remark")
        return "A brand new remark", True
    if kind == "comment edited":
        comment.body = "Edited remark"
        comment.save()
        return "Edited remark", True
    if kind == "comment deleted":
        comment.deleted = True
        comment.save()
        return "Original remark", False
    if kind == "comment disabled":
        comment.disabled = True
        comment.save()
        return "Original remark", False
    if kind == "comment liked":
        LikeFactory(post=None, comment=comment)
        return "<span data-like-count>1</span>", True
    if kind == "author renamed":
        comment.author.username = "renamed_writer"
        comment.author.save()
        return "renamed_writer", True
    if kind == "author's new avatar":
        comment.author.avatar = "avatars/new-face.webp"
        comment.author.save()
        return "new-face.webp", True
    if kind == "reader blocks the writer":
        Block.objects.create(blocker=reader, blocked=comment.author)
        return "Original remark", False
    if kind == "reader mutes the writer":
        Mute.objects.create(muter=reader, muted=comment.author)
        return "Original remark", False
    raise AssertionError(kind)


CHANGES = [
    "comment added",
    "comment edited",
    "comment deleted",
    "comment disabled",
    "comment liked",
    "author renamed",
    "author's new avatar",
    "reader blocks the writer",
    "reader mutes the writer",
]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("kind", CHANGES)
def test_a_change_shows_on_the_next_request(client, login, reader, kind, language):
    post = PostFactory(title="Fresh")
    comment = CommentFactory(post=post, body="Original remark", author=UserFactory(username="writer"))
    browsers = [login(reader)] + ([] if kind.startswith("reader") else [client])
    for browser in browsers:
        browser.cookies["django_language"] = language
        content = browser.get(f"/post/{post.pk}/").content.decode()
        assert "Original remark" in content and f'<html lang="{language}"' in content
    text, shown = _change(kind, post, comment, reader)
    for browser in browsers:
        content = browser.get(f"/post/{post.pk}/").content.decode()
        assert (text in content) == shown, kind


# --- The profile's talks and counts -------------------------------------------------------------------------


def test_the_profile_s_talks_and_counts_are_the_orm_s_for_every_reader(author, thread):
    post, people = thread
    TalkFactory.create_batch(2, post__author=author)
    TalkFactory(post__author=author, post__moderation=Moderation.HIDDEN)
    PostFactory(author=author, moderation=Moderation.HELD)
    CommentFactory(post=PostFactory(author=people["bob"]), author=author, approved=False)
    CommentFactory(post=post, author=author)
    for name, viewer in readers(author, people).items():
        for profile_user in (author, people["bob"], people["blocked"]):
            talks = Talk.objects.by(profile_user).visible_to(viewer).newest_first().for_list()
            posts = Post.objects.by(profile_user).visible_to(viewer).count()
            comments = Comment.objects.by(profile_user).visible_to(viewer).published().count()
            key = [profile_user.pk]
            for _ in range(2):
                found = talk_views._profile_talks.instances(key, viewer, Talk.objects.db, limit=6)
                assert [(t.pk, t.comment_count, t.like_count) for t in found] == [
                    (t.pk, t.comment_count, t.like_count) for t in talks[:6]
                ], name
                assert talk_views._profile_posts.count(key, viewer, Post.objects.db) == posts, name
                assert talk_views._profile_comments.count(key, viewer, Comment.objects.db) == comments, name


def test_follow_stats_are_the_counts_of_the_follows(author, reader):
    other = UserFactory()
    FollowFactory(follower=reader, followed=author)
    FollowFactory(follower=author, followed=reader)
    FollowFactory(follower=other, followed=author)
    for user in (author, reader, other):
        for viewer in (AnonymousUser(), author, reader, other):
            viewer_id = viewer.pk if viewer.is_authenticated else None
            expected = Follow.objects.filter(Q(followed=user) | Q(follower=user)).aggregate(
                followers=Count("pk", filter=Q(followed=user)),
                following=Count("pk", filter=Q(follower=user)),
                viewer_follows=Count("pk", filter=Q(followed=user, follower_id=viewer_id)),
                follows_viewer=Count("pk", filter=Q(follower=user, followed_id=viewer_id)),
            )
            assert Follow.objects.stats(user, viewer) == expected
