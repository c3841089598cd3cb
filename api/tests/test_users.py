"""Users: one user, their posts, their timeline, their followers and followings; following by API."""

import pytest

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from api.tests.helpers import api_headers, error_of, send
from blog.tests.factories import PostFactory
from social.models import Follow
from social.tests.factories import FollowFactory

pytestmark = pytest.mark.django_db


def headers_of(user):
    return api_headers(user.email, PASSWORD)


def test_a_user_s_json(client, reader, author):
    PostFactory.create_batch(3, author=author)
    data = client.get(f"/api/v1/users/{author.pk}", headers=headers_of(reader)).json()
    assert data == {
        "url": f"/api/v1/users/{author.pk}",
        "username": "author",
        "member_since": author.member_since.isoformat().replace("+00:00", "Z"),
        "last_seen": author.last_seen.isoformat().replace("+00:00", "Z"),
        "posts_url": f"/api/v1/users/{author.pk}/posts/",
        "followed_posts_url": f"/api/v1/users/{author.pk}/timeline/",
        "post_count": 3,
        "followers_url": f"/api/v1/users/{author.pk}/followers/",
        "following_url": f"/api/v1/users/{author.pk}/following/",
    }
    assert "email" not in data


def test_a_user_s_posts_are_theirs_newest_first(client, reader, author):
    mine = PostFactory.create_batch(2, author=author)
    PostFactory(author=reader)
    data = client.get(f"/api/v1/users/{author.pk}/posts/", headers=headers_of(reader)).json()
    assert [p["url"] for p in data["posts"]] == [f"/api/v1/posts/{p.pk}" for p in mine[::-1]]
    assert data["count"] == 2


def test_the_timeline_has_the_followed_users_posts_and_the_user_s_own(client, reader, author):
    followed, own = PostFactory(author=author), PostFactory(author=reader)
    PostFactory()  # a stranger's
    FollowFactory(follower=reader, followed=author)
    data = client.get(f"/api/v1/users/{reader.pk}/timeline/", headers=headers_of(author)).json()
    assert [p["url"] for p in data["posts"]] == [f"/api/v1/posts/{own.pk}", f"/api/v1/posts/{followed.pk}"]
    assert data["count"] == 2


def test_followers_and_following_list_users_newest_first_with_since_when(client, reader, author):
    first, second = UserFactory(), UserFactory()
    FollowFactory(follower=first, followed=author)
    FollowFactory(follower=second, followed=author)
    FollowFactory(follower=author, followed=first)
    PostFactory.create_batch(2, author=second)
    followers = client.get(f"/api/v1/users/{author.pk}/followers/", headers=headers_of(reader)).json()
    assert [item["user"]["username"] for item in followers["followers"]] == [second.username, first.username]
    assert followers["followers"][0]["user"]["post_count"] == 2 and followers["count"] == 2
    assert followers["followers"][0]["timestamp"].endswith("Z")
    following = client.get(f"/api/v1/users/{author.pk}/following", headers=headers_of(reader)).json()
    assert [item["user"]["url"] for item in following["following"]] == [f"/api/v1/users/{first.pk}"]


def test_followers_come_50_a_page(client, reader, author):
    for follower in UserFactory.create_batch(51):
        FollowFactory(follower=follower, followed=author)
    data = client.get(f"/api/v1/users/{author.pk}/followers/", headers=headers_of(reader)).json()
    assert (len(data["followers"]), data["count"], data["next"]) == (
        50,
        51,
        f"/api/v1/users/{author.pk}/followers/?page=2",
    )


def test_following_and_unfollowing_by_api(client, reader, author):
    url = f"/api/v1/users/{author.pk}/follow"
    assert client.get(url, headers=headers_of(reader)).json()["following"] is False
    response = client.post(url, headers=headers_of(reader))
    assert response.status_code == 200
    assert response.json() == {
        "user_url": f"/api/v1/users/{author.pk}",
        "following": True,
        "follows_you": False,
        "followers_count": 1,
        "following_count": 0,
    }
    assert Follow.objects.filter(follower=reader, followed=author).exists()
    assert client.post(url, headers=headers_of(reader)).json()["followers_count"] == 1  # idempotent
    response = client.delete(url + "/", headers=headers_of(reader))
    assert response.status_code == 200 and response.json()["following"] is False
    assert not Follow.objects.exists()
    assert client.delete(url, headers=headers_of(reader)).status_code == 200  # idempotent


def test_following_notifies_the_followed_user(client, reader, author, mailoutbox):
    client.post(f"/api/v1/users/{author.pk}/follow", headers=headers_of(reader))
    assert [message.to for message in mailoutbox] == [[author.email]]


@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_following_yourself_is_a_400(client, reader, method):
    response = send(client, method, f"/api/v1/users/{reader.pk}/follow", headers=headers_of(reader))
    status, error, message = error_of(response)
    assert (status, error) == (400, "bad request") and "yourself" in message
    assert not Follow.objects.exists()


def test_following_needs_the_follow_permission(client, reader, author, monkeypatch):
    monkeypatch.setattr(User, "has_perm", lambda self, perm, obj=None: perm != "accounts.follow")
    response = client.post(f"/api/v1/users/{author.pk}/follow", headers=headers_of(reader))
    assert error_of(response) == (403, "forbidden", "Insufficient permissions")
    assert not Follow.objects.exists()


def test_unfollowing_needs_the_follow_permission_too(client, reader, author, monkeypatch):
    FollowFactory(follower=reader, followed=author)
    monkeypatch.setattr(User, "has_perm", lambda self, perm, obj=None: perm != "accounts.follow")
    response = client.delete(f"/api/v1/users/{author.pk}/follow", headers=api_headers(reader.email, PASSWORD))
    assert error_of(response) == (403, "forbidden", "Insufficient permissions")
    assert Follow.objects.exists()


# --- GET /api/v1/users/?q= ------------------------------------------------------------------------------


def test_searching_people_by_username_and_name(client, reader):
    # Every name given: the factory's random names could start with "Ali" too.
    type(reader).objects.filter(pk=reader.pk).update(name="Rita Reader")
    alice = UserFactory(username="alice", name="")
    UserFactory(username="bob", name="Alicia Keys")
    UserFactory(username="carol", name="Carol Jones")
    response = client.get("/api/v1/users/?q=ALI", headers=api_headers(reader.email, PASSWORD))
    body = response.json()
    assert response.status_code == 200 and body["count"] == 2
    assert [user["username"] for user in body["users"]] == ["alice", "bob"]
    assert body["users"][0]["url"] == f"/api/v1/users/{alice.pk}"


def test_searching_people_without_a_query_finds_no_one(client, reader):
    body = client.get("/api/v1/users/", headers=api_headers(reader.email, PASSWORD)).json()
    assert (body["users"], body["count"]) == ([], 0)
