"""Blocking and muting: the services, the refusals a block brings, notifications, the pages, the admin."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Q
from django.test import Client
from django.utils import timezone

import blog.models
from accounts.tests.factories import UserFactory
from blog import services as blog_services
from blog.models import Comment
from blog.tests.factories import PostFactory
from social import services
from social.models import Block, Follow, Mute
from social.tests.factories import BlockFactory, FollowFactory, MuteFactory

pytestmark = pytest.mark.django_db


# --- services ---------------------------------------------------------------------------------------------


def test_block_ends_the_follows_both_ways(author, reader):
    FollowFactory(follower=reader, followed=author)
    FollowFactory(follower=author, followed=reader)
    assert services.block(blocker=reader, blocked=author) is True
    assert not Follow.objects.exists()
    assert Block.objects.filter(blocker=reader, blocked=author).count() == 1


def test_blocking_twice_is_harmless(author, reader):
    services.block(blocker=reader, blocked=author)
    assert services.block(blocker=reader, blocked=author) is False
    assert Block.objects.count() == 1


def test_block_is_atomic(author, reader, monkeypatch):
    FollowFactory(follower=reader, followed=author)

    def broken(**kwargs):
        raise IntegrityError("boom")

    monkeypatch.setattr(Block.objects, "get_or_create", broken)
    with pytest.raises(IntegrityError):
        services.block(blocker=reader, blocked=author)
    assert Follow.objects.count() == 1  # the follow came back with the rollback


def test_blocking_yourself_is_refused(reader):
    with pytest.raises(services.CannotBlockSelf):
        services.block(blocker=reader, blocked=reader)
    assert not Block.objects.exists()


def test_the_database_refuses_a_self_block_too(reader):
    with pytest.raises(IntegrityError):
        Block.objects.create(blocker=reader, blocked=reader)


def test_unblock_ends_the_block_and_not_twice(author, reader):
    BlockFactory(blocker=reader, blocked=author)
    assert services.unblock(blocker=reader, blocked=author) is True
    assert services.unblock(blocker=reader, blocked=author) is False
    assert not Block.objects.exists()


def test_the_blocked_user_cannot_follow_the_blocker(author, reader):
    BlockFactory(blocker=author, blocked=reader)
    with pytest.raises(services.FollowRefused) as refusal:
        services.follow(follower=reader, followed=author)
    assert "block" not in str(refusal.value.message).lower()  # not told
    assert not Follow.objects.exists()


def test_the_blocker_must_unblock_to_follow(author, reader):
    BlockFactory(blocker=reader, blocked=author)
    with pytest.raises(services.FollowRefused):
        services.follow(follower=reader, followed=author)
    assert not Follow.objects.exists()


def test_mute_for_days_and_for_good(author, reader):
    row = services.mute(muter=reader, muted=author, days=7)
    assert row.until - timezone.now() > datetime.timedelta(days=6, hours=23)
    row = services.mute(muter=reader, muted=author)  # again: the new duration replaces the old one
    assert row.until is None and Mute.objects.count() == 1


@pytest.mark.parametrize("days", [0, -1, 3651])
def test_mute_days_out_of_range_are_refused(author, reader, days):
    with pytest.raises(ValidationError):
        services.mute(muter=reader, muted=author, days=days)
    assert not Mute.objects.exists()


def test_muting_yourself_is_refused(reader):
    with pytest.raises(services.CannotBlockSelf):
        services.mute(muter=reader, muted=reader)
    assert not Mute.objects.exists()


def test_unmute_and_an_expired_mute_counts_as_none(author, reader):
    MuteFactory(muter=reader, muted=author, until=timezone.now() - datetime.timedelta(minutes=1))
    assert services.unmute(muter=reader, muted=author) is False
    assert not Mute.objects.exists()


# --- comments ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who_blocks", ["author", "commenter"])
def test_publish_comment_refuses_across_a_block(author, reader, who_blocks):
    post = PostFactory(author=author)
    pair = (author, reader) if who_blocks == "author" else (reader, author)
    BlockFactory(blocker=pair[0], blocked=pair[1])
    with pytest.raises(blog_services.CommentRefused):
        blog_services.publish_comment(post=post, author=reader, body="Hello")
    assert not Comment.objects.exists()


def test_the_site_refuses_a_comment_across_a_block_with_a_403(reader_client, reader, author, monkeypatch):
    post = PostFactory(author=author)
    BlockFactory(blocker=author, blocked=reader)
    # The rule hides the blocker's post first (a 404, like a missing post: the blocked user is not told)...
    assert reader_client.post(f"/post/{post.pk}/", {"body": "Hello"}).status_code == 404
    # ...and behind it the comment itself is refused, with a 403 that says so.
    monkeypatch.setattr(blog.models, "post_visibility", lambda viewer, via="": Q())
    response = reader_client.post(f"/post/{post.pk}/", {"body": "Hello"})
    assert response.status_code == 403
    assert "You can&#x27;t comment on this post." in response.content.decode()
    assert not Comment.objects.exists()


# --- notifications ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("relation", ["followed blocks", "follower blocks", "followed mutes"])
def test_no_follow_email_across_a_block_or_a_mute(author, reader, relation, mailoutbox):
    from accounts import notifications

    if relation == "followed blocks":
        BlockFactory(blocker=author, blocked=reader)
    elif relation == "follower blocks":
        BlockFactory(blocker=reader, blocked=author)
    else:
        MuteFactory(muter=author, muted=reader)
    assert notifications.new_follower(follower=reader, followed=author) == []


def test_an_expired_mute_lets_notifications_through(author, reader):
    from accounts import notifications

    MuteFactory(muter=author, muted=reader, until=timezone.now() - datetime.timedelta(minutes=1))
    assert notifications.new_follower(follower=reader, followed=author) == [author]


def test_a_muted_commenter_is_left_out_of_the_comment_emails(
    author, reader, mailoutbox, django_capture_on_commit_callbacks
):
    post = PostFactory(author=author)
    MuteFactory(muter=author, muted=reader)
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.publish_comment(post=post, author=reader, body="Muted words here")
    assert mailoutbox == []
    assert Comment.objects.filter(author=reader).count() == 1  # the muted user commented as usual


# --- pages ------------------------------------------------------------------------------------------------


def test_block_asks_for_confirmation_and_get_changes_nothing(reader_client, author):
    response = reader_client.get("/block/author/")
    assert response.status_code == 200
    assert "Block author?" in response.content.decode()
    assert not Block.objects.exists()


def test_block_from_the_profile(reader_client, reader, author):
    FollowFactory(follower=author, followed=reader)
    response = reader_client.post("/block/author/", follow=True)
    assert response.redirect_chain[-1][0] == "/user/author/"
    assert "You have blocked author." in response.content.decode()
    assert Block.objects.filter(blocker=reader, blocked=author).exists()
    assert not Follow.objects.exists()
    assert "/unblock/author/" in response.content.decode()


def test_block_needs_the_csrf_token(reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    UserFactory(username="victim")
    assert client.post("/block/victim/").status_code == 403
    assert not Block.objects.exists()


def test_blocking_yourself_on_the_site_is_a_400(reader_client):
    assert reader_client.post("/block/reader/").status_code == 400
    assert not Block.objects.exists()


def test_block_needs_a_login(client, author):
    response = client.post("/block/author/")
    assert response.status_code == 302 and "/auth/login/" in response["Location"]
    assert not Block.objects.exists()


def test_the_blocked_user_is_told_only_that_they_cannot_follow(login, reader, author):
    BlockFactory(blocker=author, blocked=reader)
    response = login(reader).post("/follow/author/", follow=True)
    assert "You can&#x27;t follow this user." in response.content.decode()
    assert not Follow.objects.exists()
    response = login(reader).post("/follow/author/", headers={"Accept": "application/json"})
    assert response.status_code == 403
    assert response.json()["message"] == "You can't follow this user."


def test_the_settings_page_lists_blocks_and_mutes_and_undoes_them(reader_client, reader, author):
    BlockFactory(blocker=reader, blocked=author)
    MuteFactory(muter=reader, muted=UserFactory(username="bore"))
    page = reader_client.get("/settings/blocks/").content.decode()
    assert "/unblock/author/" in page and "/unmute/bore/" in page
    response = reader_client.post("/unblock/author/", {"next": "/settings/blocks/"})
    assert response["Location"] == "/settings/blocks/"
    assert not Block.objects.exists()
    reader_client.post("/unmute/bore/", {"next": "/settings/blocks/"})
    assert not Mute.objects.exists()


def test_the_account_menu_links_the_settings_page(reader_client):
    assert 'href="/settings/blocks/"' in reader_client.get("/").content.decode()


@pytest.mark.parametrize(("duration", "days"), [("1", 1), ("7", 7), ("forever", None)])
def test_mute_from_the_profile_for_a_duration(reader_client, reader, author, duration, days):
    assert reader_client.get("/mute/author/").status_code == 200
    assert not Mute.objects.exists()
    response = reader_client.post("/mute/author/", {"duration": duration}, follow=True)
    assert "You have muted author." in response.content.decode()
    row = Mute.objects.get(muter=reader, muted=author)
    if days is None:
        assert row.until is None
    else:
        assert abs(row.until - timezone.now() - datetime.timedelta(days=days)) < datetime.timedelta(minutes=1)


def test_a_bad_mute_duration_is_a_400(reader_client, author):
    assert reader_client.post("/mute/author/", {"duration": "12"}).status_code == 400
    assert not Mute.objects.exists()


# --- admin ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["block", "mute"])
def test_moderators_read_blocks_and_mutes_in_the_admin(moderator_client, model):
    row = BlockFactory() if model == "block" else MuteFactory()
    assert moderator_client.get(f"/admin/social/{model}/").status_code == 200
    assert moderator_client.get(f"/admin/social/{model}/add/").status_code == 403
    response = moderator_client.post(f"/admin/social/{model}/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert type(row).objects.filter(pk=row.pk).exists()


def test_administrators_see_blocks_in_the_admin(administrator_client):
    BlockFactory(blocker__username="findme")
    response = administrator_client.get("/admin/social/block/?q=findme")
    assert response.status_code == 200 and "findme" in response.content.decode()
