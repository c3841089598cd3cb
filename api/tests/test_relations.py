"""Blocking and muting through the API: /api/v1/users/<id>/block and /mute, /api/v1/blocks/ and /mutes/."""

import datetime

import pytest
from django.db.models import Q
from django.utils import timezone

import blog.models
from accounts.tests.factories import PASSWORD, UserFactory
from api.tests.helpers import api_headers, error_of, send
from blog.models import Comment
from blog.tests.factories import PostFactory
from social.models import Block, Follow, Mute
from social.tests.factories import BlockFactory, FollowFactory, MuteFactory

pytestmark = pytest.mark.django_db


def _as(user):
    return api_headers(user.email, PASSWORD)


@pytest.mark.parametrize("slash", ["", "/"])
def test_block_and_unblock(client, reader, author, slash):
    FollowFactory(follower=author, followed=reader)
    path = f"/api/v1/users/{author.pk}/block{slash}"
    response = send(client, "POST", path, headers=_as(reader))
    assert response.status_code == 200
    assert response.json() == {"user_url": f"/api/v1/users/{author.pk}", "blocking": True}
    assert Block.objects.filter(blocker=reader, blocked=author).exists() and not Follow.objects.exists()
    assert send(client, "POST", path, headers=_as(reader)).status_code == 200  # twice: harmless
    assert Block.objects.count() == 1
    response = send(client, "DELETE", path, headers=_as(reader))
    assert response.status_code == 200 and response.json()["blocking"] is False
    assert not Block.objects.exists()


def test_blocking_yourself_is_a_400(client, reader):
    response = send(client, "POST", f"/api/v1/users/{reader.pk}/block", headers=_as(reader))
    assert error_of(response) == (400, "bad request", "You can't block yourself.")
    assert not Block.objects.exists()


@pytest.mark.parametrize("what", ["block", "mute"])
def test_an_unknown_user_is_a_404(client, reader, what):
    response = send(client, "POST", f"/api/v1/users/999999/{what}", headers=_as(reader))
    assert error_of(response)[0] == 404
    assert not Block.objects.exists() and not Mute.objects.exists()


@pytest.mark.parametrize("what", ["block", "mute"])
def test_blocking_and_muting_need_credentials(client, author, what):
    assert send(client, "POST", f"/api/v1/users/{author.pk}/{what}").status_code == 401
    assert not Block.objects.exists() and not Mute.objects.exists()


@pytest.mark.parametrize(
    ("body", "days"), [(None, None), ({}, None), ({"days": 7}, 7), ({"days": 3650}, 3650)]
)
def test_mute_for_days_or_for_good(client, reader, author, body, days):
    response = send(client, "POST", f"/api/v1/users/{author.pk}/mute/", body, headers=_as(reader))
    assert response.status_code == 200, response.content
    row = Mute.objects.get(muter=reader, muted=author)
    assert response.json()["muting"] is True
    if days is None:
        assert row.until is None and response.json()["until"] is None
    else:
        assert abs(row.until - timezone.now() - datetime.timedelta(days=days)) < datetime.timedelta(minutes=1)


@pytest.mark.parametrize("days", ["7", "seven", 7.5, True, None, 0, 3651, -1, [7]])
def test_a_bad_number_of_days_is_a_400(client, reader, author, days):
    response = send(client, "POST", f"/api/v1/users/{author.pk}/mute", {"days": days}, headers=_as(reader))
    assert error_of(response)[0] == 400
    assert not Mute.objects.exists()


def test_an_unknown_key_is_a_400(client, reader, author):
    response = send(client, "POST", f"/api/v1/users/{author.pk}/mute", {"weeks": 1}, headers=_as(reader))
    assert error_of(response)[0] == 400
    assert not Mute.objects.exists()


def test_muting_yourself_is_a_400(client, reader):
    response = send(client, "POST", f"/api/v1/users/{reader.pk}/mute", headers=_as(reader))
    assert error_of(response) == (400, "bad request", "You can't mute yourself.")


def test_unmute(client, reader, author):
    MuteFactory(muter=reader, muted=author)
    response = send(client, "DELETE", f"/api/v1/users/{author.pk}/mute", headers=_as(reader))
    assert response.status_code == 200 and response.json()["muting"] is False
    assert not Mute.objects.exists()


@pytest.mark.parametrize("path", ["/api/v1/blocks/", "/api/v1/blocks"])
def test_the_list_of_blocks(client, reader, path):
    blocked = BlockFactory(blocker=reader, blocked__username="pest").blocked
    BlockFactory(blocked=reader)  # who blocks you is never listed
    PostFactory(author=blocked)
    data = client.get(path, headers=_as(reader)).json()
    assert data["count"] == 1 and data["prev"] is None and data["next"] is None
    (row,) = data["users"]
    assert row["user"]["username"] == "pest" and row["user"]["post_count"] == 1


def test_the_list_of_mutes_leaves_out_expired_ones(client, reader):
    MuteFactory(muter=reader, muted__username="bore", until=None)
    MuteFactory(muter=reader, until=timezone.now() - datetime.timedelta(seconds=1))
    data = client.get("/api/v1/mutes/", headers=_as(reader)).json()
    assert [row["user"]["username"] for row in data["users"]] == ["bore"]
    assert data["users"][0]["until"] is None and data["count"] == 1


def test_the_blocked_user_cannot_follow_the_blocker(client, reader, author):
    BlockFactory(blocker=author, blocked=reader)
    response = send(client, "POST", f"/api/v1/users/{author.pk}/follow", headers=_as(reader))
    assert error_of(response) == (403, "forbidden", "You can't follow this user.")
    assert not Follow.objects.exists()


def test_the_blocked_user_cannot_comment_on_the_blockers_posts(client, reader, author, monkeypatch):
    post = PostFactory(author=author)
    BlockFactory(blocker=author, blocked=reader)
    path = f"/api/v1/posts/{post.pk}/comments/"
    # The rule hides the post from them (a 404, as for a missing post: they are not told)...
    assert send(client, "POST", path, {"body": "hi"}, headers=_as(reader)).status_code == 404
    # ...and behind it the comment itself is refused.
    monkeypatch.setattr(blog.models, "post_visibility", lambda viewer, via="": Q())
    response = send(client, "POST", path, {"body": "hi"}, headers=_as(reader))
    assert error_of(response) == (403, "forbidden", "You can't comment on this post.")
    assert not Comment.objects.exists()


def test_others_are_not_affected(client, reader, author):
    BlockFactory(blocker=author, blocked=reader)
    other = UserFactory()
    assert send(client, "POST", f"/api/v1/users/{author.pk}/follow", headers=_as(other)).status_code == 200
