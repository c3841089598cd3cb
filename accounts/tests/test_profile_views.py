"""The profile page and the two profile editors, avatars included."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Role, User
from accounts.tests.factories import UserFactory
from accounts.tests.images import exif_with_location, picture

pytestmark = pytest.mark.django_db


# --- the profile page -------------------------------------------------------------------------------------


def test_profile_shows_the_users_details(client):
    UserFactory(username="susan", name="Susan Smith", location="San Francisco", about_me="I <3 <b>Django</b>")
    content = client.get("/user/susan/").content.decode()
    assert '<h1 id="profile-title" class="mb-1">susan</h1>' in content
    assert "Susan Smith" in content
    assert "https://www.openstreetmap.org/search?query=San%20Francisco" in content
    assert "I &lt;3 &lt;b&gt;Django&lt;/b&gt;" in content
    assert "Member since" in content and "Last seen" in content
    assert 'width="256"' in content


def test_profile_of_an_unknown_user_is_404(client):
    assert client.get("/user/nobody/").status_code == 404


def test_profile_shows_the_email_to_administrators_only(client, administrator_client, reader_client):
    UserFactory(username="susan")
    assert "susan@example.com" not in client.get("/user/susan/").content.decode()
    assert "susan@example.com" not in reader_client.get("/user/susan/").content.decode()
    assert "mailto:susan@example.com" in administrator_client.get("/user/susan/").content.decode()


def test_profile_offers_edit_to_its_owner_and_admin_edit_to_administrators(
    reader_client, administrator_client, reader
):
    own = reader_client.get("/user/reader/").content.decode()
    assert 'href="/edit-profile/"' in own and "Edit Profile [Admin]" not in own
    other = administrator_client.get("/user/reader/").content.decode()
    assert f'href="/edit-profile/{reader.pk}/"' in other


# --- editing your own profile -----------------------------------------------------------------------------


def test_edit_profile_needs_login(client):
    response = client.get("/edit-profile/")
    assert response.status_code == 302 and response["Location"].startswith("/auth/login/?next=/edit-profile/")


def test_edit_profile_saves_and_returns_to_the_profile(reader_client, reader):
    response = reader_client.post(
        "/edit-profile/",
        {
            "name": "Rita Reader",
            "location": "Madrid",
            "about_me": "Reads a lot.",
            "language": "es",
            "timezone": "Europe/Madrid",
        },
        follow=True,
    )
    reader.refresh_from_db()
    assert (reader.name, reader.location, reader.about_me) == ("Rita Reader", "Madrid", "Reads a lot.")
    assert (reader.language, reader.timezone) == ("es", "Europe/Madrid")
    assert response.redirect_chain[-1][0] == "/user/reader/"


def test_edit_profile_refuses_too_long_fields_and_saves_nothing(reader_client, reader):
    response = reader_client.post("/edit-profile/", {"name": "x" * 65, "location": "Nowhere"})
    assert response.status_code == 400
    reader.refresh_from_db()
    assert reader.location != "Nowhere"


def test_edit_profile_refuses_an_unknown_time_zone(reader_client, reader):
    response = reader_client.post("/edit-profile/", {"timezone": "Mars/Olympus_Mons"})
    assert response.status_code == 400
    reader.refresh_from_db()
    assert reader.timezone == ""


def test_avatar_upload_is_cropped_resized_and_re_encoded(reader_client, reader):
    reader_client.post("/edit-profile/", {"avatar_upload": picture(size=(800, 400)), "name": "R"})
    reader.refresh_from_db()
    assert reader.avatar.name.startswith("avatars/") and reader.avatar.name.endswith(".webp")
    with reader.avatar.open("rb"), Image.open(reader.avatar) as stored:
        assert (stored.format, stored.size) == ("WEBP", (256, 256))


def test_avatar_upload_loses_its_metadata(reader_client, reader):
    upload = picture(name="me.jpg", image_format="JPEG", exif=exif_with_location())
    reader_client.post("/edit-profile/", {"avatar_upload": upload})
    reader.refresh_from_db()
    with reader.avatar.open("rb"), Image.open(reader.avatar) as stored:
        assert not stored.getexif()
        reader.avatar.seek(0)
        assert b"SecretCam" not in reader.avatar.read()


def test_avatar_replacing_deletes_the_old_file(reader_client, reader):
    reader_client.post("/edit-profile/", {"avatar_upload": picture()})
    reader.refresh_from_db()
    old_name = reader.avatar.name
    reader_client.post("/edit-profile/", {"avatar_upload": picture(color=(0, 0, 255))})
    reader.refresh_from_db()
    assert reader.avatar.name != old_name
    assert default_storage.exists(reader.avatar.name)
    assert not default_storage.exists(old_name)


def test_avatar_can_be_removed(reader_client, reader):
    reader_client.post("/edit-profile/", {"avatar_upload": picture()})
    reader.refresh_from_db()
    name = reader.avatar.name
    reader_client.post("/edit-profile/", {"remove_avatar": "on"})
    reader.refresh_from_db()
    assert not reader.avatar
    assert not default_storage.exists(name)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("notes.png", b"this is not a picture", content_type="image/png"),
            "The file is not a picture.",
        ),
        (
            SimpleUploadedFile("script.svg", b"<svg onload=alert(1)></svg>", content_type="image/svg+xml"),
            "The file is not a picture.",
        ),
        (
            SimpleUploadedFile(
                "big.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024 + 1), content_type="image/png"
            ),
            "The picture is too large",
        ),
    ],
    ids=["text", "svg", "over-5-MB"],
)
def test_bad_avatar_uploads_get_a_clear_error(reader_client, reader, upload, message):
    response = reader_client.post("/edit-profile/", {"avatar_upload": upload, "name": "Changed"})
    assert response.status_code == 400
    assert message in response.content.decode()
    reader.refresh_from_db()
    assert not reader.avatar and reader.name != "Changed"


def test_avatar_with_too_many_pixels_gets_a_clear_error(reader_client, reader):
    # 12,000 x 4,000 of one colour: a small file that would take 48 megapixels of memory to decode.
    response = reader_client.post("/edit-profile/", {"avatar_upload": picture(size=(12_000, 4_000))})
    assert response.status_code == 400
    assert "The picture has too many pixels." in response.content.decode()
    reader.refresh_from_db()
    assert not reader.avatar


# --- the administrators' editor ---------------------------------------------------------------------------


def test_admin_editor_is_forbidden_to_other_users(reader_client, author):
    assert reader_client.get(f"/edit-profile/{author.pk}/").status_code == 403


def test_admin_editor_needs_login(client, author):
    response = client.get(f"/edit-profile/{author.pk}/")
    assert response.status_code == 302 and "/auth/login/" in response["Location"]


def test_admin_editor_of_an_unknown_user_is_404(administrator_client):
    assert administrator_client.get("/edit-profile/999999/").status_code == 404


def test_admin_editor_changes_identity_role_and_confirmation(administrator_client, author):
    response = administrator_client.post(
        f"/edit-profile/{author.pk}/",
        {
            "email": "Writer@Example.com",
            "username": "writer",
            "role": Role.MODERATOR,
            "is_active": "on",
            "name": "W",
        },
        follow=True,
    )
    author.refresh_from_db()
    assert (author.email, author.username, author.role, author.confirmed) == (
        "writer@example.com",
        "writer",
        Role.MODERATOR,
        False,
    )
    assert author.emailaddress_set.get().email == "writer@example.com"
    assert response.redirect_chain[-1][0] == "/user/writer/"
    assert "The profile has been updated." in response.content.decode()


def test_admin_editor_refuses_a_taken_email_or_username(administrator_client, author, reader):
    response = administrator_client.post(
        f"/edit-profile/{author.pk}/",
        {"email": "READER@example.com", "username": "Reader", "role": Role.USER},
    )
    content = response.content.decode()
    assert "Email already registered." in content and "Username already in use." in content
    author.refresh_from_db()
    assert author.username == "author"


def test_admin_editor_refuses_an_unknown_role(administrator_client, author):
    response = administrator_client.post(
        f"/edit-profile/{author.pk}/", {"email": author.email, "username": "author", "role": "emperor"}
    )
    assert response.status_code == 400
    assert User.objects.get(pk=author.pk).role == Role.USER


def test_administrators_do_not_demote_or_deactivate_themselves_in_the_editor(
    administrator_client, administrator
):
    response = administrator_client.post(
        f"/edit-profile/{administrator.pk}/",
        {"email": administrator.email, "username": administrator.username, "role": Role.USER, "name": "Boss"},
    )
    assert response.status_code == 302
    administrator.refresh_from_db()
    assert (administrator.role, administrator.is_active, administrator.name) == (
        Role.ADMINISTRATOR,
        True,
        "Boss",
    )
