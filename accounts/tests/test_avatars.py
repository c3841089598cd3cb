"""What an avatar upload may cost: a pixel cap, reduced decoding, and a limit on profile edits per user."""

import pytest
from PIL import Image, ImageFile

from accounts.avatars import process_avatar
from accounts.tests.images import picture

pytestmark = pytest.mark.django_db


@pytest.fixture
def decoded_sizes(monkeypatch):
    """The sizes at which Pillow decodes pictures (after any draft mode took effect)."""
    sizes = []
    load = ImageFile.ImageFile.load

    def spy(image):
        sizes.append(image.size)
        return load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    return sizes


def test_a_picture_over_the_pixel_cap_is_refused(reader_client, reader, settings):
    # 5,000 x 4,000: 20 megapixels, allowed before the cap was lowered to 16.
    response = reader_client.post("/edit-profile/", {"avatar_upload": picture(size=(5_000, 4_000))})
    assert response.status_code == 400
    assert "Please upload one of at most 16 megapixels." in response.content.decode()
    reader.refresh_from_db()
    assert not reader.avatar


def test_a_big_jpeg_is_decoded_at_a_fraction_of_its_size(decoded_sizes, settings):
    result = process_avatar(picture("photo.jpg", size=(4_000, 3_000), image_format="JPEG"))
    assert max(width for width, _height in decoded_sizes) <= 1_000  # JPEG draft mode: 1/4 scale at most
    with Image.open(result) as avatar:
        assert avatar.size == (settings.AVATAR_SIZE, settings.AVATAR_SIZE)


def test_a_wide_picture_is_cut_to_its_centre_square(settings):
    upload = picture(size=(3_000, 1_000))
    with Image.open(process_avatar(upload)) as avatar:
        assert avatar.size == (settings.AVATAR_SIZE, settings.AVATAR_SIZE)


def test_profile_edits_are_limited_per_user_with_a_clear_message(
    reader_client, reader, settings, decoded_sizes
):
    settings.FLASKY_PROFILE_EDITS_PER_HOUR = 2
    for name in ("One", "Two"):
        assert reader_client.post("/edit-profile/", {"name": name}).status_code == 302
    response = reader_client.post("/edit-profile/", {"name": "Three", "avatar_upload": picture()})
    assert response.status_code == 429
    assert not decoded_sizes  # the refused upload was not even decoded
    assert "You have edited your profile many times in the last hour" in response.content.decode()
    reader.refresh_from_db()
    assert reader.name == "Two" and not reader.avatar


def test_the_profile_edit_limit_is_per_user(login, reader, author, settings):
    settings.FLASKY_PROFILE_EDITS_PER_HOUR = 1
    assert login(reader).post("/edit-profile/", {"name": "Rita"}).status_code == 302
    assert login(author).post("/edit-profile/", {"name": "Arthur"}).status_code == 302
