"""A post with pictures in a real browser: two pictures with alt text become a gallery of thumbnails."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from blog.models import Post
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def png(size, color):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return {"name": "picture.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def test_a_post_with_two_pictures_shows_a_gallery_with_their_alt_texts(page, live_server):
    log_in(page, UserFactory(username="writer"))
    page.get_by_label("What's on your mind?").fill("My holiday")
    page.get_by_label("Picture 1", exact=True).set_input_files(png((1200, 800), (200, 40, 40)))
    page.get_by_label("Description of picture 1 (alt text)").fill("A red sunset over the sea")
    page.get_by_label("Picture 2", exact=True).set_input_files(png((600, 900), (40, 40, 200)))
    page.get_by_label("Description of picture 2 (alt text)").fill("A blue door")
    page.get_by_role("button", name="Submit").click()

    expect(page.get_by_role("alert")).to_contain_text("Your post has been published.")
    post = Post.objects.get()
    first, second = post.pictures.all()
    for shown in (page.locator("li.post").first, None):
        if shown is None:
            page.goto(f"/post/{post.pk}/")
            shown = page.locator("li.post").first
        gallery = shown.locator("[data-post-pictures] img")
        expect(gallery).to_have_count(2)
        expect(gallery.nth(0)).to_have_attribute("alt", "A red sunset over the sea")
        expect(gallery.nth(1)).to_have_attribute("alt", "A blue door")
        expect(gallery.nth(0)).to_have_attribute("loading", "lazy")
        expect(gallery.nth(0)).to_have_attribute("width", "400")
        expect(shown.get_by_role("link", name="A blue door")).to_have_attribute("href", second.url)
    assert (first.width, first.height, second.width, second.height) == (1200, 800, 600, 900)
