"""Text from clients: invalid UTF-8 is a 400 with nothing saved, control characters are stripped on input."""

import pytest
from django.test import Client

from accounts.tests.factories import PASSWORD
from api.tests.helpers import api_headers, send
from blog.models import Post
from flasky_project.inputs import is_valid_form_encoding, strip_control_characters

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"
BOUNDARY = "FlaskyBoundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def multipart(**fields):
    """A multipart/form-data body with exactly the given bytes as field values."""
    head = b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n'
    parts = [head % (BOUNDARY.encode(), name.encode()) + value + b"\r\n" for name, value in fields.items()]
    return b"".join(parts) + b"--%s--\r\n" % BOUNDARY.encode()


def assert_refused(response, text="not valid text"):
    assert response.status_code == 400
    content = response.content.decode()
    assert text in content and "navbar" in content  # a page in the site's layout


@pytest.mark.parametrize(
    "body",
    [b"body=\xff\xfe\xfd", b"body=%ff%fe", b"body=ok&title=%C3", b"b\xffdy=text"],
    ids=["raw-bytes", "percent-encoded", "truncated-sequence", "in-a-name"],
)
def test_invalid_utf8_in_a_form_is_a_400_and_nothing_is_saved(author_client, body):
    response = author_client.generic("POST", "/", body, content_type=FORM)
    assert_refused(response)
    assert not Post.objects.exists()


@pytest.mark.parametrize("value", [b"\xff\xfe\xfd", b"caf\xe9"], ids=["raw-bytes", "latin-1"])
def test_invalid_utf8_in_a_multipart_field_is_a_400_and_nothing_is_saved(author_client, value):
    body = multipart(body=value)
    response = author_client.generic("POST", "/", body, content_type=MULTIPART)
    assert_refused(response)
    assert not Post.objects.exists()


def test_valid_utf8_in_a_multipart_form_is_accepted(author_client):
    body = multipart(body="canción".encode())
    response = author_client.generic("POST", "/", body, content_type=MULTIPART)
    assert response.status_code == 302
    assert Post.objects.get().body == "canción"


@pytest.mark.parametrize("query", ["q=\xff\xfe", "q=%ff%fe", "q=%E2%82"], ids=["raw", "percent", "truncated"])
def test_invalid_utf8_in_the_query_string_is_a_400(client, query):
    response = client.get("/search/", QUERY_STRING=query)
    assert_refused(response, "The address contains characters that are not valid text.")


def test_invalid_utf8_in_an_api_query_string_is_json(client):
    response = client.get("/api/v1/posts/", QUERY_STRING="page=%ff")
    assert response.status_code == 400
    assert response.json()["error"] == "bad request"


def test_valid_utf8_is_accepted_raw_and_percent_encoded(author_client):
    response = author_client.generic("POST", "/", "body=caf%C3%A9+y+canción".encode(), content_type=FORM)
    assert response.status_code == 302
    assert Post.objects.get().body == "café y canción"


def test_a_form_in_another_declared_charset_is_a_400(author_client):
    response = author_client.generic("POST", "/", b"body=caf\xe9", content_type=f"{FORM}; charset=latin-1")
    assert response.status_code == 400
    assert not Post.objects.exists()


def test_control_characters_are_stripped_from_a_post(author_client):
    response = author_client.post("/", {"body": "one \x02two\x03 three\x00\x7f\x85\ttab\r\nline"})
    assert response.status_code == 302
    assert Post.objects.get().body == "one two three\ttab\r\nline"


def test_control_characters_do_not_become_marks_in_search_results(author_client, client):
    author_client.post("/", {"body": "a \x02<b>harmless</b>\x03 tune"})
    content = client.get("/search/", {"q": "tune"}).content.decode()
    assert content.count("<mark>") == content.count("</mark>") == 1
    assert "<mark><b>" not in content


def test_control_characters_are_stripped_from_the_query_string(client, rf):
    response = client.get("/search/", {"q": "tu\x02ne"})
    assert response.status_code == 200
    assert response.wsgi_request.GET["q"] == "tune"


def test_control_characters_are_stripped_from_api_json(client, reader):
    headers = api_headers(reader.email, PASSWORD)
    response = send(client, "POST", "/api/v1/posts/", {"body": "api \u0002text\u0003\u0000"}, headers=headers)
    assert response.status_code == 201
    assert Post.objects.get().body == "api text"


def test_strip_control_characters_keeps_tabs_and_line_ends():
    assert strip_control_characters("a\x01\tb\nc\rd\x1b\x9fe") == "a\tb\nc\rde"


def test_is_valid_form_encoding():
    assert is_valid_form_encoding(b"a=1&b=%C3%A9&c=\xc3\xa9", "utf-8")
    assert not is_valid_form_encoding(b"a=1&b=%C3", "utf-8")


@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "PATCH", "PROPFIND"])
def test_the_sites_pages_refuse_other_methods_than_get_head_post_and_options(author, method):
    # With the CSRF check on, as a browser meets it: the 405 comes before the check's 403.
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    response = client.generic(method, "/", "body=sneaky", content_type=FORM)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert "<h1>Method Not Allowed</h1>" in response.content.decode()
    assert not Post.objects.exists()


def test_the_api_keeps_its_own_methods(client, reader):
    headers = api_headers(reader.email, PASSWORD)
    post = send(client, "POST", "/api/v1/posts/", {"body": "first"}, headers=headers).json()
    response = send(client, "PUT", post["url"], {"body": "second"}, headers=headers)
    assert response.status_code == 200
    assert Post.objects.get().body == "second"


def test_a_view_may_take_more_methods_when_it_says_so(client):
    # The schedule's delete view takes DELETE from its page's script (schedule/tests cover what it does).
    response = client.delete("/schedule/1/delete/")
    assert response.status_code == 302  # to log in: the method was let through to the view
    assert client.put("/schedule/1/delete/").status_code == 405
