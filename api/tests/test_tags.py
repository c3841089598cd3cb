"""GET /api/v1/tags/<name>/posts/: a tag's posts, newest first."""

import pytest

from accounts.tests.factories import PASSWORD, UserFactory
from api.tests.helpers import api_headers
from blog import services

pytestmark = pytest.mark.django_db


def test_a_tags_posts_newest_first(client, reader):
    author = UserFactory()
    older = services.publish_post(author=author, body="#Django one")
    newer = services.publish_post(author=author, body="two #django")
    services.publish_post(author=author, body="untagged")
    response = client.get("/api/v1/tags/DJANGO/posts/", headers=api_headers(reader.email, PASSWORD))
    body = response.json()
    assert response.status_code == 200
    assert [post["url"] for post in body["posts"]] == [
        f"/api/v1/posts/{newer.pk}",
        f"/api/v1/posts/{older.pk}",
    ]
    assert (body["count"], body["prev"], body["next"]) == (2, None, None)


def test_a_word_no_post_has_is_an_empty_list(client, reader):
    body = client.get("/api/v1/tags/nothing/posts/", headers=api_headers(reader.email, PASSWORD)).json()
    assert (body["posts"], body["count"]) == ([], 0)


@pytest.mark.parametrize("name", ["123", "not-a-word", "a%20b", "x" * 65], ids=str)
def test_names_that_are_not_words_are_404(client, reader, name):
    response = client.get(f"/api/v1/tags/{name}/posts/", headers=api_headers(reader.email, PASSWORD))
    assert response.status_code == 404 and response.json()["error"] == "not found"


def test_pages_of_a_tag(client, reader):
    author = UserFactory()
    for i in range(21):
        services.publish_post(author=author, body=f"{i} #many")
    body = client.get("/api/v1/tags/many/posts/?page=2", headers=api_headers(reader.email, PASSWORD)).json()
    assert len(body["posts"]) == 1 and body["prev"] == "/api/v1/tags/many/posts/?page=1"
