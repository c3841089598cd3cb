"""Pictures through the API: a post's pictures sent as multipart/form-data, checked and stored as the site's
post form does it (blog.pictures, blog.services), and refused with a 400 that leaves nothing behind."""

import pytest
from django.core.files.storage import storages
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from accounts.tests.factories import PASSWORD
from accounts.tests.images import exif_with_location, picture
from api.tests.helpers import api_headers, error_of, send
from blog import pictures
from blog.models import Comment, Post, PostPicture
from blog.tests.factories import PostFactory
from blog.tests.test_pictures import fake_jpeg, read_image, stored_files, too_many_pixels
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db


def headers_of(user):
    return api_headers(user.email, PASSWORD)


def post_multipart(client, user, data, path="/api/v1/posts/"):
    return client.post(path, data, headers=headers_of(user))  # the test client's default: multipart


def put_multipart(client, user, path, data):
    body = encode_multipart(BOUNDARY, data)
    return client.generic("PUT", path, body, content_type=MULTIPART_CONTENT, headers=headers_of(user))


def test_a_post_with_two_pictures_and_their_alt_text_is_published(client, author):
    photo = picture("photo.jpg", size=(3000, 1500), image_format="JPEG", exif=exif_with_location())
    data = {
        "body": "Two *pictures*",
        "title": "Walls",
        "pictures": [photo, picture("small.png", size=(300, 200))],
        "alt": ["A red wall", "A small red square"],
    }
    response = post_multipart(client, author, data)
    assert response.status_code == 201, response.content
    post = Post.objects.get()
    assert (post.author, post.body, post.title) == (author, "Two *pictures*", "Walls")
    first, second = post.pictures.all()
    assert (first.alt, first.width, first.height) == ("A red wall", 2048, 1024)
    assert (second.alt, second.width, second.height) == ("A small red square", 300, 200)
    listed = response.json()["pictures"]
    assert [(item["alt"], item["width"], item["height"]) for item in listed] == [
        ("A red wall", 2048, 1024),
        ("A small red square", 300, 200),
    ]
    full = read_image(first.image)
    assert full.format == "WEBP" and not full.getexif() and "exif" not in full.info  # no camera, no place
    assert stored_files() == sorted([first.image, first.thumbnail, second.image, second.thumbnail])


def test_a_json_post_still_works_and_its_own_pictures_key_is_ignored(client, author):
    sent_back = {"body": "plain", "pictures": [{"url": "http://x/a.webp", "alt": "ignored"}]}
    response = send(client, "POST", "/api/v1/posts/", sent_back, headers=headers_of(author))
    assert response.status_code == 201
    assert response.json()["pictures"] == []
    assert Post.objects.get().body == "plain" and not PostPicture.objects.exists()


def five_pictures():
    return [picture(f"{number}.png") for number in range(5)], ["More"] * 5


BAD_INPUT = {
    "fake": "pictures: photo.jpg: The file is not a picture. Please upload a JPEG, PNG, GIF or WebP image.",
    "pixels": "pictures: huge.png: The picture has too many pixels. Please upload one of at most 40",
    "large": "pictures: me.png: The picture is too large (",
    "no_alt": "alt: Give one description (alt text) for each picture, in the same order.",
    "blank_alt": "alt: Describe the picture for people who cannot see it (alt text).",
    "fifth": "pictures: You can attach at most 4 pictures to a post.",
    "not_a_file": "pictures: The submitted data was not a file.",
    "remove_on_new": "remove_pictures: The post has no picture at position 0.",
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_pictures_are_a_400_and_nothing_is_saved(client, author, case, monkeypatch):
    data = {"body": "pictures!", "pictures": [picture()], "alt": ["Fine"]}
    if case == "fake":
        data.update(pictures=[picture(), fake_jpeg()], alt=["Fine", "Fake"])
    elif case == "pixels":
        data.update(pictures=[picture(), too_many_pixels()], alt=["Fine", "Huge"])
    elif case == "large":
        monkeypatch.setattr(pictures, "MAX_BYTES", 1000)
    elif case == "no_alt":
        del data["alt"]
    elif case == "blank_alt":
        data.update(pictures=[picture(), picture("b.png")], alt=["Fine", "  "])
    elif case == "fifth":
        data["pictures"], data["alt"] = five_pictures()
    elif case == "not_a_file":
        data["pictures"] = ["just text"]
    elif case == "remove_on_new":
        data["remove_pictures"] = ["0"]
    response = post_multipart(client, author, data)
    status, error, text = error_of(response)
    assert (status, error) == (400, "bad request")
    assert text.startswith(BAD_INPUT[case])
    assert not Post.objects.exists() and not PostPicture.objects.exists()
    assert stored_files() == []


def test_a_failing_store_leaves_no_post_and_no_file(client, author, monkeypatch):
    storage = storages["default"]
    real_save = storage.save
    calls = []

    def failing_save(name, content, **kwargs):
        calls.append(name)
        if len(calls) == 3:  # the second picture's image
            raise OSError("the disk is full")
        return real_save(name, content, **kwargs)

    monkeypatch.setattr(storage, "save", failing_save)
    client.raise_request_exception = False
    data = {"body": "two", "pictures": [picture(), picture("2.png")], "alt": ["One", "Two"]}
    response = post_multipart(client, author, data)
    assert response.status_code == 500
    assert not Post.objects.exists() and not PostPicture.objects.exists()
    assert stored_files() == []


def test_a_comment_with_pictures_is_a_400_and_is_not_saved(client, author, reader):
    post = PostFactory(author=author)
    data = {"body": "look", "pictures": [picture()], "alt": ["A picture"]}
    response = post_multipart(client, reader, data, path=f"/api/v1/posts/{post.pk}/comments/")
    assert error_of(response) == (400, "bad request", "A comment cannot have pictures: send it as JSON.")
    assert not Comment.objects.exists() and stored_files() == []


def test_editing_adds_pictures_after_the_kept_ones_and_removes_others(
    client, author, django_capture_on_commit_callbacks
):
    post_multipart(
        client, author, {"body": "v1", "pictures": [picture(), picture("b.png")], "alt": ["A", "B"]}
    )
    post = Post.objects.get()
    first, second = post.pictures.all()
    data = {"body": "v2", "remove_pictures": ["0"], "pictures": [picture("c.png")], "alt": ["C"]}
    with django_capture_on_commit_callbacks(execute=True):
        response = put_multipart(client, author, f"/api/v1/posts/{post.pk}", data)
    assert response.status_code == 200, response.content
    assert [item["alt"] for item in response.json()["pictures"]] == ["B", "C"]
    post.refresh_from_db()
    kept, added = post.pictures.all()
    assert post.body == "v2" and kept == second and added.alt == "C"
    assert stored_files() == sorted([second.image, second.thumbnail, added.image, added.thumbnail])


def test_a_json_edit_keeps_the_pictures(client, author):
    post_multipart(client, author, {"body": "v1", "pictures": [picture()], "alt": ["A"]})
    post = Post.objects.get()
    response = send(client, "PUT", f"/api/v1/posts/{post.pk}", {"body": "v2"}, headers=headers_of(author))
    assert response.status_code == 200
    assert [item["alt"] for item in response.json()["pictures"]] == ["A"]
    assert post.pictures.count() == 1 and len(stored_files()) == 2


def test_editing_refuses_a_fifth_picture_and_changes_nothing(client, author):
    pictures_sent, _ = five_pictures()
    post_multipart(client, author, {"body": "v1", "pictures": pictures_sent[:4], "alt": ["A"] * 4})
    post = Post.objects.get()
    data = {"body": "v2", "pictures": [picture("5.png")], "alt": ["Fifth"]}
    response = put_multipart(client, author, f"/api/v1/posts/{post.pk}", data)
    assert error_of(response) == (
        400,
        "bad request",
        "pictures: A post can have at most 4 pictures. Remove some first.",
    )
    post.refresh_from_db()
    assert post.body == "v1" and post.pictures.count() == 4 and len(stored_files()) == 8


def test_a_talk_takes_no_pictures(client, author):
    talk = TalkFactory(post__author=author)
    data = {"pictures": [picture()], "alt": ["A"]}
    response = put_multipart(client, author, f"/api/v1/posts/{talk.post.pk}", data)
    assert error_of(response) == (400, "bad request", "pictures: A talk cannot have pictures.")
    assert not PostPicture.objects.exists() and stored_files() == []


def test_text_in_a_multipart_body_loses_its_control_characters(client, author):
    response = post_multipart(
        client, author, {"body": "bell\x07 here", "pictures": [picture()], "alt": ["A\x00"]}
    )
    assert response.status_code == 201
    post = Post.objects.get()
    assert post.body == "bell here" and post.pictures.get().alt == "A"


def test_multipart_elsewhere_is_still_unsupported(client, author):
    response = client.post("/api/v1/talks/", {"body": "x"}, headers=headers_of(author))
    assert error_of(response)[:2] == (415, "unsupported media type")


def test_a_flood_of_files_is_a_400_before_any_is_read(client, author, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 5  # Django's own limit (100 by default) refuses the request
    data = {
        "body": "flood",
        "pictures": [picture(f"{n}.png", size=(2, 2)) for n in range(6)],
        "alt": ["A"] * 6,
    }
    response = post_multipart(client, author, data)
    assert error_of(response)[:2] == (400, "bad request")
    assert not Post.objects.exists() and stored_files() == []
