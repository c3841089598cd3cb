"""A client written the way Flasky's clients were (HTTPie, the book's test helper): Basic auth headers, JSON
bodies, following Location headers and ``next`` links. It runs a whole session against the live server
over real HTTP, and must never meet a redirect, whatever the trailing slashes."""

import base64
import json
import urllib.error
import urllib.request

import pytest

from accounts.tests.factories import PASSWORD, UserFactory
from blog.tests.factories import PostFactory


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise AssertionError(f"{req.get_method()} {req.full_url} was redirected ({code}) to {newurl}")


class FlaskyClient:
    """What a program written against Flasky's API does."""

    def __init__(self, base_url, username, password=""):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(NoRedirects)
        self.auth(username, password)

    def auth(self, username, password=""):
        self.authorization = "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()

    def request(self, method, url, data=None):
        """(status, headers, JSON) of the request; ``url`` is a path (as in Flasky's JSON) or absolute."""
        body = json.dumps(data).encode() if data is not None else None
        headers = {
            "Authorization": self.authorization,
            "Accept": "application/json",
            "Content-Type": "application/json",
        }
        url = self.base_url + url if url.startswith("/") else url
        assert url.startswith(self.base_url)  # only ever the live server, over http
        request = urllib.request.Request(url, body, headers, method=method)  # noqa: S310
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.headers, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, json.loads(error.read() or b"null")

    def all_pages(self, url, key):
        items = []
        while url:
            status, _, page = self.request("GET", url)
            assert status == 200
            items += page[key]
            url = page["next"]
        return items


@pytest.mark.django_db(transaction=True)
def test_a_flasky_client_session_over_http(live_server, settings):
    settings.FLASKY_POSTS_PER_PAGE = 3
    john = UserFactory(email="john@example.com", username="john")
    susan = UserFactory(email="susan@example.com", username="susan")
    PostFactory.create_batch(4, author=susan)
    api = FlaskyClient(live_server.url, "john@example.com", PASSWORD)

    # A token, then everything with it (as `http --auth <token>:`).
    status, _, token = api.request("POST", "/api/v1/tokens/")
    assert status == 200 and token["expiration"] == 3600
    api.auth(token["token"])

    # Write a post; follow its Location, which is the URL the JSON gives.
    status, headers, post = api.request(
        "POST", "/api/v1/posts/", {"body": "I'm adding a post from the *command line*."}
    )
    assert status == 201
    assert post["body_html"] == "<p>I'm adding a post from the <em>command line</em>.</p>"
    status, _, fetched = api.request("GET", headers["Location"])
    assert status == 200 and fetched == post and live_server.url + post["url"] == headers["Location"]

    # Every post, page by page through the next links: 5 posts, 3 a page.
    assert len(api.all_pages("/api/v1/posts/", "posts")) == 5
    assert len(api.all_pages("/api/v1/posts", "posts")) == 5  # Flask would have redirected this one

    # Edit it, with and without the trailing slash; comment on it; read the comments.
    status, _, edited = api.request("PUT", post["url"] + "/", {"body": "updated body"})
    assert status == 200 and edited["body_html"] == "<p>updated body</p>"
    status, headers, comment = api.request("POST", post["comments_url"].rstrip("/"), {"body": "Good post!"})
    assert status == 201 and api.request("GET", headers["Location"])[2] == comment
    assert [c["url"] for c in api.all_pages(post["comments_url"], "comments")] == [comment["url"]]

    # The author, the timeline, following (beyond Flasky).
    status, _, me = api.request("GET", post["author_url"])
    assert (me["url"], me["username"], me["post_count"]) == (f"/api/v1/users/{john.pk}", "john", 1)
    assert len(api.all_pages(me["followed_posts_url"], "posts")) == 1
    status, _, relation = api.request("POST", f"/api/v1/users/{susan.pk}/follow")
    assert status == 200 and relation["following"]
    assert len(api.all_pages(me["followed_posts_url"], "posts")) == 5

    # Errors are JSON too.
    status, _, error = api.request("GET", "/api/v1/posts/999999")
    assert status == 404 and error["error"] == "not found"
    status, _, error = api.request("POST", "/api/v1/tokens/")  # a token can't get a token
    assert status == 401 and error == {"error": "unauthorized", "message": "Invalid credentials"}
