"""Bad input gets a clear 4xx in Flasky's JSON, never a 500: bodies, content types, ids, pages, methods."""

import json

import pytest
from django.test import Client

from accounts.tests.factories import PASSWORD, UserFactory
from api.tests.helpers import api_headers, error_of, send
from blog.models import Comment, Post
from blog.tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

WRITES = [
    ("POST", "/api/v1/posts/"),
    ("PUT", "/api/v1/posts/{post}"),
    ("POST", "/api/v1/posts/{post}/comments/"),
]


@pytest.fixture
def post(reader):
    return PostFactory(author=reader, body="original")


@pytest.fixture
def headers(reader):
    return api_headers(reader.email, PASSWORD)


def write(client, method, path, post, **kwargs):
    return send(client, method, path.format(post=post.pk), **kwargs)


def assert_nothing_changed(post):
    post.refresh_from_db()
    assert post.body == "original"
    assert Post.objects.count() == 1 and Comment.objects.count() == 0


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b'{"body": "x",}',
        b"[1, 2",
        b"nul",
        b'{"body": NaN}',
        b'"\xff\xfe"',
        b"\xef\xbb\xbf{}",
        b"[" * 100_000,
    ],
    ids=["unclosed", "trailing-comma", "unclosed-list", "not-json", "nan", "invalid-utf8", "bom", "deep"],
)
def test_malformed_json_is_a_400(client, post, headers, method, path, raw):
    response = write(client, method, path, post, raw=raw, headers=headers)
    assert error_of(response)[:2] == (400, "bad request")
    assert_nothing_changed(post)


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize("data", [[], "body", 42, None, {"body": ["a list"]}, {"body": {"an": "object"}}])
def test_json_of_the_wrong_shape_is_a_400(client, post, headers, method, path, data):
    response = write(client, method, path, post, raw=json.dumps(data), headers=headers)
    assert error_of(response)[:2] == (400, "bad request")
    assert_nothing_changed(post)


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_other_content_types_are_a_415(client, post, headers, method, path, content_type):
    response = write(
        client, method, path, post, raw='{"body": "hello"}', content_type=content_type, headers=headers
    )
    assert error_of(response)[:2] == (415, "unsupported media type")
    assert_nothing_changed(post)


# A post takes multipart/form-data (its pictures: api/tests/test_pictures.py); a comment refuses it by name.
# (Django reads a multipart body without its boundary as an empty form: a PUT of nothing changes nothing.)
@pytest.mark.parametrize(("method", "path"), [write for write in WRITES if write[0] == "POST"])
def test_a_malformed_multipart_body_is_a_400(client, post, headers, method, path):
    response = write(
        client,
        method,
        path,
        post,
        raw='{"body": "hello"}',
        content_type="multipart/form-data; boundary=x",
        headers=headers,
    )
    assert error_of(response)[:2] == (400, "bad request")
    assert_nothing_changed(post)


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_a_body_without_content_type_is_a_415(client, post, headers, method, path):
    response = write(client, method, path, post, raw='{"body": "hello"}', content_type="", headers=headers)
    assert error_of(response)[:2] == (415, "unsupported media type")


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_a_json_charset_is_honoured(client, post, headers, method, path):
    raw = '{"body": "café"}'.encode("latin-1")
    response = write(
        client, method, path, post, raw=raw, content_type="application/json; charset=latin-1", headers=headers
    )
    assert response.status_code in (200, 201)
    assert response.json()["body"] == "café"


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_unknown_fields_are_a_400_naming_them(client, post, headers, method, path):
    response = write(
        client, method, path, post, data={"body": "hello", "bdy": "typo", "x": 1}, headers=headers
    )
    assert error_of(response) == (400, "bad request", "Unknown field: bdy, x.")
    assert_nothing_changed(post)


def test_a_resource_s_own_keys_are_ignored_so_clients_can_send_back_what_they_got(client, post, headers):
    data = client.get(f"/api/v1/posts/{post.pk}", headers=headers).json()
    data["body"] = "edited"
    data["body_html"] = "<script>alert(1)</script>"
    response = send(client, "PUT", f"/api/v1/posts/{post.pk}", data, headers=headers)
    assert response.status_code == 200
    assert response.json()["body_html"] == "<p>edited</p>"


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("/api/v1/posts/", {}, "post does not have a body"),
        ("/api/v1/posts/", {"body": ""}, "post does not have a body"),
        ("/api/v1/posts/", {"body": "  \n\t "}, "post does not have a body"),
        ("/api/v1/posts/", {"body": None}, "post does not have a body"),
        ("/api/v1/posts/{post}/comments/", {}, "comment does not have a body"),
        ("/api/v1/posts/{post}/comments/", {"body": " "}, "comment does not have a body"),
        ("/api/v1/posts/{post}", {"body": ""}, "post does not have a body"),
    ],
)
def test_a_missing_body_is_flaskys_400(client, post, headers, path, data, message):
    method = "PUT" if path.endswith("{post}") else "POST"
    response = write(client, method, path, post, data=data, headers=headers)
    assert error_of(response) == (400, "bad request", message)
    assert_nothing_changed(post)


@pytest.mark.parametrize(
    ("method", "path", "limit"),
    [
        ("POST", "/api/v1/posts/", 50_000),
        ("PUT", "/api/v1/posts/{post}", 50_000),
        ("POST", "/api/v1/posts/{post}/comments/", 5_000),
    ],
)
def test_an_over_long_body_is_a_400(client, post, headers, method, path, limit):
    assert (
        write(client, method, path, post, data={"body": "x" * (limit + 1)}, headers=headers).status_code
        == 400
    )
    assert_nothing_changed(post)
    assert write(client, method, path, post, data={"body": "x" * limit}, headers=headers).status_code in (
        200,
        201,
    )


def test_an_over_long_title_is_a_400(client, post, headers):
    response = send(client, "POST", "/api/v1/posts/", {"body": "b", "title": "t" * 201}, headers=headers)
    message = error_of(response)[2]
    assert response.status_code == 400 and message.startswith("title: ")


# (A NUL is a control character: stripped on input, as the forms do; flasky_project/tests/test_inputs.py.)
@pytest.mark.parametrize("text", ["lone \ud800 surrogate"])
def test_text_the_database_cannot_store_is_a_400(client, post, headers, text):
    raw = json.dumps({"body": text})  # escaped as \\ud800
    assert send(client, "POST", "/api/v1/posts/", raw=raw, headers=headers).status_code == 400
    assert_nothing_changed(post)


def test_a_body_over_the_upload_limit_is_a_413(client, post, headers, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = send(client, "POST", "/api/v1/posts/", {"body": "x" * 2000}, headers=headers)
    assert error_of(response)[:2] == (413, "request entity too large")
    assert_nothing_changed(post)


ID_PATHS = [
    "/api/v1/posts/{}",
    "/api/v1/posts/{}/comments/",
    "/api/v1/users/{}",
    "/api/v1/users/{}/posts/",
    "/api/v1/users/{}/timeline/",
    "/api/v1/users/{}/followers/",
    "/api/v1/users/{}/following/",
    "/api/v1/users/{}/follow",
    "/api/v1/comments/{}",
]


@pytest.mark.parametrize("path", ID_PATHS)
@pytest.mark.parametrize(
    "bad_id", ["0", "999999", "-1", "abc", "1.5", "9" * 18, "9" * 19, "9" * 100, "%00", "١"]
)
def test_unknown_or_malformed_ids_are_a_404(client, headers, path, bad_id):
    response = client.get(path.format(bad_id), headers=headers)
    assert error_of(response)[:2] == (404, "not found")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", "/api/v1/posts/{}"),
        ("DELETE", "/api/v1/posts/{}"),
        ("POST", "/api/v1/comments/{}/disable"),
        ("POST", "/api/v1/comments/{}/enable"),
        ("POST", "/api/v1/comments/{}/approve"),
        ("DELETE", "/api/v1/comments/{}"),
        ("POST", "/api/v1/users/{}/follow"),
        ("DELETE", "/api/v1/users/{}/follow"),
    ],
)
def test_unknown_ids_are_a_404_on_writes_too(client, headers, method, path):
    response = send(client, method, path.format(999999), {} if method != "DELETE" else None, headers=headers)
    assert error_of(response)[:2] == (404, "not found")


LISTS = [
    "/api/v1/posts/",
    "/api/v1/comments/",
    "/api/v1/posts/{post}/comments/",
    "/api/v1/users/{user}/posts/",
    "/api/v1/users/{user}/timeline/",
    "/api/v1/users/{user}/followers/",
    "/api/v1/users/{user}/following/",
    "/api/v1/search/?q=word&",  # (no count: not in the empty-list test below)
]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("page", ["0", "-1", "2", "abc", "1.5", "9" * 30, "", "%00", "1e3"])
def test_pages_that_do_not_exist_are_a_404(client, reader, post, headers, path, page):
    separator = "" if path.endswith("&") else "?"
    response = client.get(
        path.format(post=post.pk, user=reader.pk) + f"{separator}page={page}", headers=headers
    )
    assert error_of(response) == (404, "not found", "There is no such page.")


@pytest.mark.parametrize("path", [path for path in LISTS if "search" not in path])
def test_page_one_of_an_empty_list_is_empty_not_missing(client, headers, path):
    lonely = UserFactory()  # no posts, no follows
    bare = PostFactory(author=lonely) if "{post}" in path else None  # no comments
    response = client.get(path.format(post=bare and bare.pk, user=lonely.pk), headers=headers)
    data = response.json()
    key = next(iter(data))
    assert (data[key], data["count"], data["prev"], data["next"]) == ([], 0, None, None)


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/api/v1/posts/", "GET, POST, HEAD"),
        ("PATCH", "/api/v1/posts/{post}", "GET, PUT, DELETE, HEAD"),
        ("PATCH", "/api/v1/comments/{comment}", "GET, PUT, DELETE, HEAD"),
        ("GET", "/api/v1/posts/{post}/like", "POST, DELETE"),
        ("GET", "/api/v1/comments/{comment}/disable", "POST"),
        ("DELETE", "/api/v1/users/{user}", "GET, HEAD"),
        ("OPTIONS", "/api/v1/posts/", "GET, POST, HEAD"),
        ("GET", "/api/v1/tokens/", "POST"),
    ],
)
def test_wrong_methods_are_a_json_405_before_authentication(client, reader, post, method, path, allow):
    comment = CommentFactory(post=post)
    url = path.format(post=post.pk, comment=comment.pk, user=reader.pk)
    response = client.generic(method, url)  # no credentials: Flask routes answer 405 before auth
    assert error_of(response)[:2] == (405, "method not allowed")
    assert response["Allow"] == allow


def test_an_unknown_api_url_is_a_json_404(client, headers):
    for path in ("/api/v1/nothing", "/api/v2/posts/", "/api/v1/posts//", "/api/"):
        assert error_of(client.get(path, headers=headers))[:2] == (404, "not found")


@pytest.mark.parametrize("accept", ["text/html", "application/xml", "image/png;q=1"])
def test_any_accept_header_gets_json_not_406(client, headers, accept):
    response = client.get("/api/v1/posts/", headers={**headers, "Accept": accept})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"


def test_a_format_parameter_gets_json_not_404(client, headers):
    response = client.get("/api/v1/posts/?format=xml", headers=headers)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"


def test_a_server_error_is_flaskys_json(headers, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("api.shared_pages.post_list_response", explode)
    response = Client(raise_request_exception=False).get("/api/v1/posts/", headers=headers)
    assert error_of(response)[:2] == (500, "internal server error")
