"""A new account's limits (blog.services.check_author): links per post or comment, posts and comments an hour,
on every path (the site, the API, talks)."""

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import PASSWORD, UserFactory
from api.tests.helpers import api_headers, error_of, send
from blog import services
from blog.models import Comment, Post
from blog.tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

LINKS = "See https://a.example, https://b.example and https://c.example"


@pytest.fixture
def newcomer(settings):
    settings.FLASKY_NEW_ACCOUNT_HOURS = 24
    settings.FLASKY_NEW_ACCOUNT_MAX_LINKS = 2
    settings.FLASKY_NEW_ACCOUNT_POSTS_PER_HOUR = 2
    settings.FLASKY_NEW_ACCOUNT_COMMENTS_PER_HOUR = 2
    return UserFactory(username="fresh", member_since=timezone.now())


def test_a_new_account_is_one_without_history(newcomer, reader):
    assert services.is_new_account(newcomer)
    assert not services.is_new_account(reader)
    # Content published before the window (an imported account) makes an account established.
    PostFactory(author=newcomer, created=timezone.now() - datetime.timedelta(days=3))
    assert not services.is_new_account(newcomer)


def test_too_many_links_are_refused_on_the_site(login, newcomer):
    response = login(newcomer).post("/", {"body": LINKS})
    assert response.status_code == 400
    assert "New accounts may put at most 2 links" in response.content.decode()
    assert not Post.objects.exists()


def test_two_links_are_fine(login, newcomer):
    assert login(newcomer).post("/", {"body": "https://a.example and https://b.example"}).status_code == 302
    assert Post.objects.filter(author=newcomer).count() == 1


def test_too_many_links_in_a_comment_are_refused_on_the_site(login, newcomer):
    post = PostFactory()
    response = login(newcomer).post(post.get_absolute_url(), {"body": LINKS})
    assert response.status_code == 400 and "New accounts may put at most 2 links" in response.content.decode()
    assert not Comment.objects.exists()


def test_the_hourly_posts_limit_on_the_site_and_the_api(login, client, newcomer):
    site = login(newcomer)
    assert site.post("/", {"body": "one"}).status_code == 302
    assert site.post("/", {"body": "two"}).status_code == 302
    response = site.post("/", {"body": "three"})
    assert (
        response.status_code == 400
        and "New accounts may publish 2 posts an hour" in response.content.decode()
    )
    response = send(
        client, "POST", "/api/v1/posts/", {"body": "four"}, headers=api_headers(newcomer.email, PASSWORD)
    )
    status, error, message = error_of(response)
    assert (status, error) == (429, "too many requests") and "2 posts an hour" in message
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Post.objects.filter(author=newcomer).count() == 2


def test_the_hourly_comments_limit_in_the_api(client, newcomer):
    post = PostFactory()
    CommentFactory.create_batch(2, author=newcomer, post=post)
    response = send(
        client,
        "POST",
        f"/api/v1/posts/{post.pk}/comments/",
        {"body": "more"},
        headers=api_headers(newcomer.email, PASSWORD),
    )
    assert error_of(response)[0] == 429
    assert Comment.objects.filter(author=newcomer).count() == 2


def test_links_in_the_api_are_a_400(client, newcomer):
    response = send(
        client, "POST", "/api/v1/posts/", {"body": LINKS}, headers=api_headers(newcomer.email, PASSWORD)
    )
    assert error_of(response)[:2] == (400, "bad request")
    assert not Post.objects.exists()


def test_a_new_speakers_talk_obeys_the_limits(login, newcomer):
    data = {"title": "Links", "body": LINKS, "date": "2030-05-04 18:00", "venue": "Madrid"}
    response = login(newcomer).post("/talks/new/", data)
    assert response.status_code == 400 and "New accounts may put at most 2 links" in response.content.decode()
    assert not Post.objects.exists()


def test_established_accounts_have_no_limits(author_client, author):
    for number in range(4):
        assert author_client.post("/", {"body": f"{LINKS} {number}"}).status_code == 302
    assert Post.objects.filter(author=author).count() == 4
