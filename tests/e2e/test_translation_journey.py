"""Translating a post in place in a real browser, against a local stand-in for LibreTranslate."""

import pytest
from playwright.sync_api import expect

from blog.tests.factories import PostFactory
from blog.tests.translation_service import TranslationService

pytestmark = pytest.mark.django_db(transaction=True)

SPANISH = "Hola mundo\n\nMe gusta correr por el parque"


@pytest.fixture
def service(settings):
    server = TranslationService().start()
    settings.TRANSLATION_SERVICE = "libretranslate"
    settings.TRANSLATION_URL = server.url
    settings.TRANSLATION_TIMEOUT = 1
    yield server
    server.stop()


def test_translate_a_post_in_place_and_back(page, live_server, service):
    post = PostFactory(body=SPANISH)
    page.goto("/")
    item = page.locator(f"#post-{post.pk}")
    expect(item.locator("[data-post-body]")).to_contain_text("Me gusta correr por el parque")
    item.get_by_role("button", name="Translate").click()
    expect(item.locator("[data-post-body]")).to_contain_text("I like running in the park")
    item.get_by_role("button", name="Show original").click()
    expect(item.locator("[data-post-body]")).to_contain_text("Me gusta correr por el parque")
    item.get_by_role(
        "button", name="Translate"
    ).click()  # the second time comes from the page, not the service
    expect(item.locator("[data-post-body]")).to_contain_text("I like running in the park")
    assert len(service.requests) == 1


def test_switching_back_and_forth_survives_a_no_break_space(page, live_server, service):
    # The browser writes U+00A0 back as &nbsp;: comparing HTML would take the translation for the original.
    post = PostFactory(body="Me gusta el té: ¿y a ti?\n\nHola mundo")
    page.goto("/")
    item = page.locator(f"#post-{post.pk}")
    body = item.locator("[data-post-body]")
    for _round in range(2):
        item.get_by_role("button", name="Translate").click()
        expect(body).to_contain_text("I like tea\u00a0: and you?")
        item.get_by_role("button", name="Show original").click()
        expect(body).to_contain_text("Me gusta el té")
    assert len(service.requests) == 1


def test_a_failing_service_shows_a_clear_error(page, live_server, service):
    service.mode = "error"
    post = PostFactory(body=SPANISH)
    page.goto("/")
    item = page.locator(f"#post-{post.pk}")
    item.get_by_role("button", name="Translate").click()
    expect(item.get_by_role("alert")).to_have_text("Error: the translation service could not be reached.")
    expect(item.locator("[data-post-body]")).to_contain_text("Me gusta correr por el parque")
