"""Posts and comments: stored HTML, the timelines, counts, who may edit and moderate."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import Role
from accounts.tests.factories import UserFactory
from blog import services
from blog.models import Comment, Post
from blog.tests.factories import CommentFactory, PostFactory
from social.tests.factories import FollowFactory

pytestmark = pytest.mark.django_db


def test_saving_a_post_stores_sanitised_html():
    post = PostFactory(body="body of the *blog* post <script>x</script>")
    assert post.body_html == "<p>body of the <em>blog</em> post &lt;script&gt;x&lt;/script&gt;</p>"


def test_editing_re_renders_the_html():
    post = PostFactory(body="first")
    services.edit_post(post, body="updated body")
    post.refresh_from_db()
    assert post.body_html == "<p>updated body</p>"
    assert post.updated >= post.created


def test_comments_use_the_smaller_tag_set():
    comment = CommentFactory(body="# Title\n\n*nice*")
    assert "<h1>" not in comment.body_html and "<em>nice</em>" in comment.body_html


def test_str_is_the_title_or_the_start_of_the_body():
    assert str(PostFactory(title="Hello")) == "Hello"
    assert str(PostFactory(title="", body="x" * 100)).endswith("…")


def test_for_list_counts_published_comments_only():
    post = PostFactory()
    CommentFactory.create_batch(2, post=post)
    CommentFactory(post=post, disabled=True)
    CommentFactory(post=post, author=None, guest_name="Guest", approved=False)
    assert Post.objects.for_list().get(pk=post.pk).comment_count == 3


def test_for_list_is_newest_first():
    older, newer = PostFactory(), PostFactory()
    assert list(Post.objects.for_list()) == [newer, older]


def test_followed_timeline_has_followed_authors_and_your_own_posts():
    reader, followed, stranger = UserFactory(), UserFactory(), UserFactory()
    FollowFactory(follower=reader, followed=followed)
    mine, theirs, other = (
        PostFactory(author=reader),
        PostFactory(author=followed),
        PostFactory(author=stranger),
    )
    assert set(Post.objects.followed_by(reader)) == {mine, theirs}
    assert other not in Post.objects.followed_by(reader)


def test_authors_and_administrators_may_edit_posts(author, reader, moderator, administrator):
    post = PostFactory(author=author)
    assert post.can_edit(author) and post.can_edit(administrator)
    assert not post.can_edit(reader) and not post.can_edit(moderator)


def test_moderators_and_post_authors_moderate_comments(author, reader, moderator):
    comment = CommentFactory(post=PostFactory(author=author), author=reader)
    assert comment.can_moderate(moderator) and comment.can_moderate(author)
    assert not comment.can_moderate(reader)


def test_set_disabled_checks_the_moderator(author, reader):
    comment = CommentFactory(post=PostFactory(author=author))
    services.set_disabled(comment, True, by=author)
    assert Comment.objects.get(pk=comment.pk).disabled
    with pytest.raises(services.ModerationRefused):
        services.set_disabled(comment, False, by=reader)
    assert Comment.objects.get(pk=comment.pk).disabled


def test_visible_to_hides_pending_comments_from_others(author, reader):
    post = PostFactory(author=author)
    published = CommentFactory(post=post)
    pending = CommentFactory(post=post, author=None, guest_name="Guest", approved=False)
    assert list(Comment.objects.visible_to(reader).on(post)) == [published]
    assert set(Comment.objects.visible_to(author).on(post)) == {published, pending}
    assert list(Comment.objects.visible_to(AnonymousUser()).on(post)) == [published]


def test_moderators_see_pending_comments_on_every_post(author, moderator):
    pending = CommentFactory(post=PostFactory(author=author), author=None, guest_name="Guest", approved=False)
    assert list(Comment.objects.visible_to(moderator)) == [pending]


def test_disabled_comments_stay_listed_with_their_text_for_moderators_only(author, reader):
    comment = CommentFactory(post=PostFactory(author=author), disabled=True)
    assert list(Comment.objects.visible_to(reader)) == [comment]
    assert list(Comment.objects.readable_by(reader)) == []
    assert comment.hides_text_from(reader)
    assert not comment.hides_text_from(author)


def test_a_comment_needs_an_author_or_a_guest_name():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CommentFactory(author=None, guest_name="")


def test_deleting_a_post_deletes_its_comments():
    comment = CommentFactory()
    services.delete_post(comment.post)
    assert not Comment.objects.exists()


def test_moderator_role_may_change_comments_in_the_admin():
    moderator = UserFactory(role=Role.MODERATOR)
    assert moderator.has_perm("blog.change_comment") and not moderator.has_perm("blog.delete_post")
