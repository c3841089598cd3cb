"""Language detection on save, and translating posts through LibreTranslate or DeepL (local stand-ins)."""

import pytest

from blog.language import detect_language
from blog.models import Post
from blog.tests.factories import PostFactory
from blog.tests.translation_service import DEEPL_KEY, TranslationService

pytestmark = pytest.mark.django_db

SPANISH = "Hola mundo\n\nMe gusta correr por el parque"


@pytest.fixture
def service():
    server = TranslationService().start()
    yield server
    server.stop()


@pytest.fixture
def libretranslate(service, settings):
    settings.TRANSLATION_SERVICE = "libretranslate"
    settings.TRANSLATION_URL = service.url
    settings.TRANSLATION_TIMEOUT = 0.5
    return service


@pytest.fixture
def deepl(service, settings):
    settings.TRANSLATION_SERVICE = "deepl"
    settings.TRANSLATION_URL = service.url
    settings.TRANSLATION_API_KEY = DEEPL_KEY
    settings.TRANSLATION_TIMEOUT = 0.5
    return service


def translate(client, post, language="en"):
    return client.post(
        f"/post/{post.pk}/translate/", HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE=language
    )


# --- detection --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("I went running in the park yesterday and the weather was lovely.", "en"),
        ("Ayer salí a correr por el parque y hacía un tiempo estupendo.", "es"),
        ("Hier je suis allé courir dans le parc et il faisait très beau.", "fr"),
        ("ok", ""),
        ("12345 !!! ???", ""),
        ("", ""),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language


def test_posts_get_their_language_on_save_and_on_edit():
    post = PostFactory(body="Ayer salí a correr por el parque y hacía un tiempo estupendo.")
    assert Post.objects.get(pk=post.pk).language == "es"
    post.body = "Yesterday I went running in the park and the weather was lovely."
    post.save()
    assert Post.objects.get(pk=post.pk).language == "en"


# --- the Translate link -----------------------------------------------------------------------------------


def test_no_translate_link_without_a_service(client, settings):
    settings.TRANSLATION_SERVICE = ""
    PostFactory(body=SPANISH)
    assert "data-translate" not in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_translate_link_only_on_posts_in_another_language(client, libretranslate):
    spanish = PostFactory(body=SPANISH)
    english = PostFactory(body="Yesterday I went running in the park and the weather was lovely.")
    content = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'action="/post/{spanish.pk}/translate/"' in content
    assert f'action="/post/{english.pk}/translate/"' not in content
    content = client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert f'action="/post/{english.pk}/translate/"' in content
    assert f'action="/post/{spanish.pk}/translate/"' not in content


# --- translating ------------------------------------------------------------------------------------------


def test_libretranslate_translates_a_post(client, libretranslate):
    post = PostFactory(body=SPANISH)
    response = translate(client, post)
    assert response.json() == {
        "html": "<p>Hello world</p>\n<p>I like running in the park</p>",
        "language": "en",
    }
    (request,) = libretranslate.requests
    assert request["path"] == "/translate"
    assert request["payload"] == {"q": SPANISH, "source": "es", "target": "en", "format": "text"}


def test_deepl_translates_a_post(client, deepl):
    post = PostFactory(body=SPANISH)
    assert translate(client, post).json()["html"] == "<p>Hello world</p>\n<p>I like running in the park</p>"
    (request,) = deepl.requests
    assert request["path"] == "/v2/translate"
    assert request["payload"] == {"text": [SPANISH], "target_lang": "EN-US", "source_lang": "ES"}


def test_translations_are_cached_per_post_version(client, libretranslate):
    post = PostFactory(body=SPANISH)
    translate(client, post)
    translate(client, post)
    assert len(libretranslate.requests) == 1
    post.body = SPANISH + "\n\nHola mundo"
    post.save()
    Post.objects.filter(pk=post.pk).update(updated=post.updated.replace(year=post.updated.year + 1))
    translate(client, Post.objects.get(pk=post.pk))
    assert len(libretranslate.requests) == 2


def test_a_translation_is_sanitised_like_a_post(client, libretranslate):
    post = PostFactory(body="<script>alert(1)</script> Hola mundo, me gusta correr por el parque")
    html = translate(client, post).json()["html"]
    assert "<script" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize(
    ("mode", "status", "message"),
    [
        ("error", 502, "Error: the translation service could not be reached."),
        ("garbage", 502, "Error: the translation service could not be reached."),
        ("empty", 502, "Error: the translation service could not be reached."),
        ("slow", 504, "The translation service took too long to answer."),
    ],
)
def test_service_failures_get_a_clear_json_answer(client, libretranslate, mode, status, message):
    libretranslate.mode = mode
    response = translate(client, PostFactory(body=SPANISH))
    assert response.status_code == status
    assert response.json() == {"error": "translation failed", "message": message}


def test_an_unreachable_service_is_a_clear_answer(client, settings):
    settings.TRANSLATION_SERVICE = "libretranslate"
    settings.TRANSLATION_URL = "http://127.0.0.1:9"  # the discard port: nothing listens there
    response = translate(client, PostFactory(body=SPANISH))
    assert response.status_code == 502


def test_deepl_with_a_wrong_key_is_a_clear_answer(client, deepl, settings):
    settings.TRANSLATION_API_KEY = "wrong"
    assert translate(client, PostFactory(body=SPANISH)).status_code == 502


def test_translate_without_javascript_shows_a_page(client, libretranslate):
    post = PostFactory(body=SPANISH)
    response = client.post(f"/post/{post.pk}/translate/", HTTP_ACCEPT_LANGUAGE="en")
    assert "<p>I like running in the park</p>" in response.content.decode()


def test_translate_refuses_get_unknown_posts_and_same_language(client, libretranslate):
    post = PostFactory(body=SPANISH)
    assert client.get(f"/post/{post.pk}/translate/").status_code == 405
    assert translate(client, Post(pk=999999)).status_code == 404
    assert translate(client, post, language="es").status_code == 400
    assert not libretranslate.requests


def test_translations_are_rate_limited(client, libretranslate):
    posts = [PostFactory(body=f"{SPANISH} {n}") for n in range(21)]
    statuses = [translate(client, post).status_code for post in posts]
    assert statuses[:20] == [200] * 20 and statuses[20] == 429


def test_the_rate_limit_without_javascript_is_a_page_with_the_message(client, libretranslate):
    posts = [PostFactory(body=f"{SPANISH} {n}") for n in range(21)]
    for post in posts[:20]:
        translate(client, post)
    response = client.post(f"/post/{posts[20].pk}/translate/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    assert "Too many translations at once." in response.content.decode()
