"""GET /api/v1/search/: the site's search as an API list."""

import pytest

from accounts.tests.factories import PASSWORD
from api.tests.helpers import api_headers
from blog.tests.factories import PostFactory
from blog.tests.factories import stored_picture as picture
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db


def search(client, user, query, page=None):
    params = {"q": query} if page is None else {"q": query, "page": page}
    return client.get("/api/v1/search/", params, headers=api_headers(user.email, PASSWORD))


def test_search_finds_stemmed_words_best_first(client, reader):
    passing = PostFactory(title="Notes", body="Many things happened. " * 10 + "I also went for a run.")
    titled = PostFactory(title="Running every morning", body="Why I started.")
    body = search(client, reader, "run").json()
    assert [post["url"] for post in body["posts"]] == [
        f"/api/v1/posts/{titled.pk}",
        f"/api/v1/posts/{passing.pk}",
    ]
    assert "<mark>" in body["posts"][1]["snippet"]
    assert body["query"] == "run" and body["prev"] is None and body["next"] is None


def test_search_pages_link_to_each_other(client, reader):
    PostFactory.create_batch(21, body="Marathon training log.")
    first = search(client, reader, "marathon").json()
    assert len(first["posts"]) == 20 and first["next"] == "/api/v1/search/?q=marathon&page=2"
    second = search(client, reader, "marathon", page=2).json()
    assert len(second["posts"]) == 1 and second["prev"] == "/api/v1/search/?q=marathon&page=1"


@pytest.mark.parametrize("query", ["", "AND OR", '"', "x" * 5000, "'; DROP TABLE blog_post; --"])
def test_any_query_gets_an_answer(client, reader, query):
    PostFactory(body="Something to find.")
    response = search(client, reader, query)
    assert response.status_code == 200 and isinstance(response.json()["posts"], list)


def test_search_needs_authentication_like_every_flasky_endpoint(client):
    assert client.get("/api/v1/search/", {"q": "x"}).status_code == 401


def test_a_page_past_the_end_is_a_404(client, reader):
    PostFactory(body="Only one marathon.")
    assert search(client, reader, "marathon", page=2).status_code == 404


@pytest.mark.parametrize("rows", [1, 10])  # (20 results: a full page)
def test_search_query_count_is_fixed(client, reader, rows, settings, django_assert_num_queries):
    settings.FLASKY_PAGE_CACHE_SECONDS = 0  # the search itself, not its kept results (test_search_hits.py)
    PostFactory.create_batch(rows, body="Marathon training diary entry.")
    TalkFactory.create_batch(rows, post__body="Marathon training talk.")
    headers = api_headers(reader.email, PASSWORD)
    client.get("/api/v1/search/", {"q": "marathon"}, headers=headers)
    # the credentials' user, the newest id, the ranked matches, those posts with authors, talk details and
    # comment and like counts (their pictures only if one of them has some: blog.listing.listed_posts), the
    # reader's likes and bookmarks among them (one query)
    with django_assert_num_queries(5):
        response = client.get("/api/v1/search/", {"q": "marathon"}, headers=headers)
    posts = response.json()["posts"]
    assert len(posts) == 2 * rows
    assert {post["talk"] is None for post in posts} == {True, False}


def test_results_with_pictures_list_them_and_cost_one_query_more(
    client, reader, settings, django_assert_num_queries
):
    settings.FLASKY_PAGE_CACHE_SECONDS = 0
    pictured, plain = PostFactory(body="Marathon with a photo."), PostFactory(body="Marathon, no photo.")
    picture(pictured, alt="The finish line")
    search(client, reader, "marathon")
    with django_assert_num_queries(6):
        posts = {post["url"]: post for post in search(client, reader, "marathon").json()["posts"]}
    assert [item["alt"] for item in posts[f"/api/v1/posts/{pictured.pk}"]["pictures"]] == ["The finish line"]
    assert posts[f"/api/v1/posts/{plain.pk}"]["pictures"] == []
