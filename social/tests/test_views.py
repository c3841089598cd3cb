"""The follow pages: buttons and counts on the profile, follow/unfollow, the followers lists."""

import pytest

from accounts import roles
from accounts.models import Role
from accounts.tests.factories import UserFactory
from social.models import Follow
from social.tests.factories import FollowFactory

pytestmark = pytest.mark.django_db


# --- follow and unfollow ----------------------------------------------------------------------------------


def test_follow_from_the_profile(reader_client, reader, author):
    response = reader_client.post("/follow/author/", follow=True)
    assert response.redirect_chain[-1][0] == "/user/author/"
    assert "You are now following author." in response.content.decode()
    assert Follow.objects.filter(follower=reader, followed=author).exists()


def test_follow_twice_says_so(reader_client, reader, author):
    FollowFactory(follower=reader, followed=author)
    response = reader_client.post("/follow/author/", follow=True)
    assert "You are already following this user." in response.content.decode()
    assert Follow.objects.count() == 1


def test_unfollow_from_the_profile(reader_client, reader, author):
    FollowFactory(follower=reader, followed=author)
    response = reader_client.post("/unfollow/author/", follow=True)
    assert "You are not following author anymore." in response.content.decode()
    assert not Follow.objects.exists()


def test_unfollow_when_not_following_says_so(reader_client, author):
    response = reader_client.post("/unfollow/author/", follow=True)
    assert "You are not following this user." in response.content.decode()


def test_follow_yourself_is_refused_with_a_clear_message(reader_client):
    response = reader_client.post("/follow/reader/", follow=True)
    assert "You can&#x27;t follow yourself." in response.content.decode()
    assert not Follow.objects.exists()


@pytest.mark.parametrize("action", ["follow", "unfollow"])
def test_follow_refuses_get(reader_client, author, action):
    assert reader_client.get(f"/{action}/author/").status_code == 405
    assert not Follow.objects.exists()


@pytest.mark.parametrize("action", ["follow", "unfollow"])
def test_follow_sends_strangers_to_log_in(client, author, action):
    response = client.post(f"/{action}/author/")
    assert response.status_code == 302 and response["Location"].startswith(
        f"/auth/login/?next=/{action}/author/"
    )


def test_follow_needs_the_follow_permission(login, author, monkeypatch):
    monkeypatch.setitem(roles.ROLE_PERMISSIONS, Role.USER, [roles.COMMENT, roles.WRITE])
    muted = UserFactory()
    assert login(muted).post("/follow/author/").status_code == 403
    assert not Follow.objects.exists()


def test_unfollow_needs_the_follow_permission_as_in_flasky(login, author, monkeypatch):
    muted = UserFactory()
    FollowFactory(follower=muted, followed=author)
    monkeypatch.setitem(roles.ROLE_PERMISSIONS, Role.USER, [roles.COMMENT, roles.WRITE])
    assert login(muted).post("/unfollow/author/").status_code == 403
    assert Follow.objects.filter(follower=muted).exists()


@pytest.mark.parametrize("action", ["follow", "unfollow"])
def test_follow_of_an_unknown_user_is_404(reader_client, action):
    assert reader_client.post(f"/{action}/nobody/").status_code == 404


def test_follow_returns_to_a_local_next(reader_client, author):
    response = reader_client.post("/follow/author/", {"next": "/followers/author/"})
    assert response["Location"] == "/followers/author/"


def test_follow_ignores_a_foreign_next(reader_client, author):
    response = reader_client.post("/follow/author/", {"next": "https://evil.example/"})
    assert response["Location"] == "/user/author/"


def test_follow_answers_json_to_the_pages_script(reader_client, reader, author):
    FollowFactory(follower=author, followed=reader)
    response = reader_client.post("/follow/author/", HTTP_ACCEPT="application/json")
    assert response.json() == {
        "message": "You are now following author.",
        "level": "success",
        "followers": 1,
        "following": 1,
        "viewer_follows": 1,
        "follows_viewer": 1,
    }


def test_follow_yourself_by_script_is_a_json_400(reader_client):
    response = reader_client.post("/follow/reader/", HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json()["message"] == "You can't follow yourself."


# --- the profile's follow block ---------------------------------------------------------------------------


def test_profile_shows_exact_counts(client, author):
    for _ in range(3):
        FollowFactory(followed=author)
    FollowFactory(follower=author)
    content = client.get("/user/author/").content.decode()
    assert "data-followers-count>3</span>" in content
    assert "data-following-count>1</span>" in content


def test_profile_offers_follow_to_others_and_unfollow_when_following(reader_client, reader, author):
    assert 'action="/follow/author/"' in reader_client.get("/user/author/").content.decode()
    FollowFactory(follower=reader, followed=author)
    assert 'action="/unfollow/author/"' in reader_client.get("/user/author/").content.decode()


def test_profile_offers_no_follow_button_on_your_own_profile_or_to_strangers(client, reader_client, reader):
    assert "data-follow-form" not in reader_client.get("/user/reader/").content.decode()
    assert "data-follow-form" not in client.get("/user/reader/").content.decode()


def test_profile_shows_follows_you(reader_client, reader, author):
    assert "Follows you" not in reader_client.get("/user/author/").content.decode()
    FollowFactory(follower=author, followed=reader)
    assert "Follows you" in reader_client.get("/user/author/").content.decode()


def test_profile_links_the_counts_to_the_lists(client, author):
    content = client.get("/user/author/").content.decode()
    assert 'href="/followers/author/"' in content and 'href="/following/author/"' in content


# --- the followers lists ----------------------------------------------------------------------------------


def test_followers_page_lists_newest_first(client, author):
    older = FollowFactory(followed=author, follower=UserFactory(username="older"))
    newer = FollowFactory(followed=author, follower=UserFactory(username="newer"))
    Follow.objects.filter(pk=older.pk).update(created=newer.created.replace(year=2020))
    response = client.get("/followers/author/")
    content = response.content.decode()
    assert "<h1>Followers of author</h1>" in content
    assert [person.username for person, _since in response.context["rows"]] == ["newer", "older"]
    assert 'width="32"' in content


def test_following_page_lists_the_followed(client, author):
    FollowFactory(follower=author, followed=UserFactory(username="hero"))
    content = client.get("/following/author/").content.decode()
    assert "<h1>Followed by author</h1>" in content and "hero" in content


def test_flaskys_followed_by_address_redirects(client, author):
    response = client.get("/followed_by/author/")
    assert response.status_code == 301 and response["Location"] == "/following/author/"


@pytest.mark.parametrize("path", ["/followers/nobody/", "/following/nobody/"])
def test_followers_of_an_unknown_user_is_404(client, path):
    assert client.get(path).status_code == 404


def test_followers_pages_paginate_by_50(client, author):
    FollowFactory.create_batch(51, followed=author)
    first = client.get("/followers/author/")
    second = client.get("/followers/author/?page=2")
    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == 1
    assert 'href="?page=2"' in first.content.decode()


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999", "1.5", "%00"])
def test_followers_pages_answer_bad_page_numbers_with_404(client, author, page):
    FollowFactory(followed=author)
    response = client.get(f"/followers/author/?page={page}")
    assert response.status_code == 404
    assert "<h1>Not Found</h1>" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 50])
def test_followers_page_runs_the_same_queries_for_1_or_50_rows(
    client, author, rows, django_assert_num_queries
):
    FollowFactory.create_batch(rows, followed=author)
    with django_assert_num_queries(3):  # the user, the count for the pager, the page of rows with users
        client.get("/followers/author/")


@pytest.mark.parametrize("rows", [1, 50])
def test_following_page_runs_the_same_queries_for_1_or_50_rows(
    client, author, rows, django_assert_num_queries
):
    FollowFactory.create_batch(rows, follower=author)
    with django_assert_num_queries(3):
        client.get("/following/author/")
