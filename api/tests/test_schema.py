"""The OpenAPI schema validates and documents every endpoint; the documentation page is served, with its
files, by the site itself (no CDN)."""

import re

import pytest
import yaml
from drf_spectacular.validation import validate_schema

from accounts.tests.factories import PASSWORD
from api import urls
from api.tests.contract import openapi
from api.tests.helpers import api_headers
from blog.tests.factories import CommentFactory
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db


def test_the_schema_is_public_and_valid_openapi_3(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)  # OpenAPI 3.0's own JSON Schema
    assert schema["openapi"].startswith("3.")
    assert client.get("/api/schema?format=json").json()["paths"] == schema["paths"]


def test_every_api_url_is_documented_with_each_of_its_methods():
    documented = openapi()["paths"]
    for pattern in urls.urlpatterns:
        view = pattern.callback.cls
        if pattern.name in ("schema", "docs"):
            continue
        path = "/api/" + re.sub(r"\(\?P<pk>[^)]*\)", "{id}", pattern.pattern._regex)
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", path)
        path = path.replace("^", "").replace("$", "").replace("(?:/)?", "").replace("/?", "/")
        methods = {m for m in view.http_method_names if hasattr(view, m) and m != "head"}
        assert path in documented, path
        assert set(documented[path]) == methods, path


def test_every_operation_documents_its_errors_and_auth():
    for path, operations in openapi()["paths"].items():
        for method, operation in operations.items():
            assert operation["operationId"] and operation["summary"] and operation["tags"]
            assert {"401", "403", "429"} <= set(operation["responses"]), (method, path)
            assert operation["security"] and {} not in operation["security"]
            if "{" in path:
                assert "404" in operation["responses"]
            if "requestBody" in operation:
                assert {"400", "413", "415"} <= set(operation["responses"])


def test_the_schema_describes_the_three_ways_to_authenticate():
    schemes = openapi()["components"]["securitySchemes"]
    assert schemes["basicAuth"]["scheme"] == "basic"
    assert schemes["bearerAuth"]["scheme"] == "bearer"
    assert schemes["cookieAuth"]["in"] == "cookie"
    assert openapi()["paths"]["/api/v1/tokens/"]["post"]["security"] == [{"basicAuth": []}]


def test_the_documentation_page_is_served_with_local_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets and not [url for url in assets if re.match(r"(https?:)?//", url)], assets
    for url in assets:
        assert client.get(url).status_code == 200, url
    assert "cdn" not in page.lower()
    # No inline script (the Content Security Policy forbids them): the set-up comes as a file of its own.
    assert "<script>" not in page
    assert "/api/schema" in client.get("/api/docs/?script=").content.decode()


def test_the_documentation_page_uses_the_session_with_a_csrf_token(reader_client):
    script = reader_client.get("/api/docs/?script=").content.decode()
    assert "X-CSRFTOKEN" in script.upper()


def test_every_path_answers_both_spellings_without_redirect(client, reader, moderator):
    comment = CommentFactory(author=reader)
    talk = TalkFactory()
    ids = {"/posts/": comment.post_id, "/users/": reader.pk, "/comments/": comment.pk, "/talks/": talk.pk}
    for path, operations in openapi()["paths"].items():
        if "get" not in operations:
            continue
        concrete = path.replace("{name}", "django")  # a tag
        for prefix, pk in ids.items():
            if concrete.startswith(f"/api/v1{prefix}{{id}}"):
                concrete = concrete.replace("{id}", str(pk))
        other = concrete.rstrip("/") if concrete.endswith("/") else concrete + "/"
        for url in (concrete, other):
            # The open reports are for moderators (a reader's 403 would say nothing about the path).
            who = moderator if path.startswith("/api/v1/reports") else reader
            response = client.get(url, headers=api_headers(who.email, PASSWORD))
            assert response.status_code == 200, url
