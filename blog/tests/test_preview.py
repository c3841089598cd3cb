"""The live preview of a post: rendered by the publishing pipeline, and limited per user."""

import pytest

from blog.models import Post

pytestmark = pytest.mark.django_db


def test_preview_is_limited_per_user_with_a_json_429(settings, login, reader, author):
    settings.FLASKY_PREVIEWS_PER_MINUTE = 3
    client = login(reader)
    for _ in range(3):
        assert client.post("/post/preview/", {"body": "*hi*"}).json() == {"html": "<p><em>hi</em></p>"}
    response = client.post("/post/preview/", {"body": "*hi*"})
    assert response.status_code == 429
    assert response.json() == {
        "error": "too many requests",
        "message": "Too many previews at once. Please wait a minute.",
    }
    assert response["Retry-After"] == "60"
    # Another user has a limit of their own; nothing is ever saved.
    assert login(author).post("/post/preview/", {"body": "*hi*"}).status_code == 200
    assert not Post.objects.exists()


def test_preview_limit_message_is_translated(settings, reader_client):
    settings.FLASKY_PREVIEWS_PER_MINUTE = 1
    reader_client.post("/post/preview/", {"body": "x"})
    response = reader_client.post("/post/preview/", {"body": "x"}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 429
    assert response.json()["message"] == "Demasiadas vistas previas seguidas. Espera un minuto."
