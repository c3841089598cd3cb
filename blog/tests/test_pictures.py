"""Pictures in posts: re-encoded through Pillow into default_storage, with alt text, shown as a gallery."""

import html
import io
import re
import urllib.request

import pytest
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.tests.images import exif_with_location, picture
from blog import pictures
from blog.models import Post, PostPicture
from blog.tests.factories import PostFactory, stored_picture
from blog.tests.test_composed import same_list

pytestmark = pytest.mark.django_db


def stored_files(folder="posts"):
    """Every file under ``folder`` in default_storage."""
    if not default_storage.exists(folder) and not _listable(folder):
        return []
    folders, files = default_storage.listdir(folder)
    found = [f"{folder}/{name}" for name in files]
    for name in folders:
        found += stored_files(f"{folder}/{name}")
    return sorted(found)


def _listable(folder):
    try:
        default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return False
    return True


def read_image(name):
    with default_storage.open(name) as stored:
        return Image.open(io.BytesIO(stored.read()))


def with_pictures(body="pictures!", **files_and_alts):
    return {"body": body, **files_and_alts}


def test_a_post_with_two_pictures_stores_re_encoded_images_and_thumbnails(author_client, author):
    photo = picture("photo.jpg", size=(3000, 1500), image_format="JPEG", exif=exif_with_location())
    response = author_client.post(
        "/",
        with_pictures(
            picture_1=photo,
            alt_1="A red wall",
            picture_2=picture("small.png", size=(300, 200)),
            alt_2="A small red square",
        ),
    )
    assert response.status_code == 302
    post = Post.objects.get()
    first, second = post.pictures.all()
    assert (first.position, first.alt, first.width, first.height) == (0, "A red wall", 2048, 1024)
    assert (second.position, second.alt, second.width, second.height) == (1, "A small red square", 300, 200)
    assert (first.thumbnail_width, first.thumbnail_height) == (400, 200)
    assert (second.thumbnail_width, second.thumbnail_height) == (300, 200)  # never enlarged
    full = read_image(first.image)
    assert (full.format, full.size) == ("WEBP", (2048, 1024))
    assert not full.getexif() and "exif" not in full.info  # the camera and location are gone
    assert read_image(first.thumbnail).size == (400, 200)
    assert stored_files() == sorted([first.image, first.thumbnail, second.image, second.thumbnail])


def test_the_post_page_and_lists_show_a_gallery_of_thumbnails(author_client, author, client):
    author_client.post("/", with_pictures(picture_1=picture(size=(1000, 500)), alt_1='A "quoted" wall'))
    post = Post.objects.get()
    shown = post.pictures.get()
    for page in (f"/post/{post.pk}/", "/"):
        content = client.get(page).content.decode()
        # Addresses without their query: on S3 with signed links each has a signature of its own moment.
        link = re.search(r'<a href="([^"]+)"><img class="img-fluid rounded border" src="([^"]+)"', content)
        assert link is not None, content
        assert [_bare(html.unescape(url)) for url in link.groups()] == [
            _bare(shown.url),
            _bare(shown.thumbnail_url),
        ]
        assert 'alt="A &quot;quoted&quot; wall" width="400" height="200" loading="lazy"' in content


def test_an_animated_gif_keeps_its_first_frame(author_client):
    frames = [Image.new("RGB", (64, 32), color) for color in ((255, 0, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    upload = SimpleUploadedFile("moving.gif", buffer.getvalue(), content_type="image/gif")
    assert author_client.post("/", with_pictures(picture_1=upload, alt_1="Red")).status_code == 302
    image = read_image(PostPicture.objects.get().image)
    assert getattr(image, "n_frames", 1) == 1
    red, green, blue = image.convert("RGB").getpixel((10, 10))
    assert red > 200 and blue < 50


def fake_jpeg():
    return SimpleUploadedFile("photo.jpg", b"this is text, not a picture", content_type="image/jpeg")


def too_many_pixels():
    # 7,000 x 6,000 = 42 megapixels; a black PNG is small, and only its header is read.
    buffer = io.BytesIO()
    Image.new("1", (7000, 6000)).save(buffer, format="PNG")
    return SimpleUploadedFile("huge.png", buffer.getvalue(), content_type="image/png")


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("fake", "The file is not a picture. Please upload a JPEG, PNG, GIF or WebP image."),
        ("pixels", "The picture has too many pixels. Please upload one of at most 40 megapixels."),
        ("no_alt", "Describe the picture for people who cannot see it (alt text)."),
        ("fifth", "You can attach at most 4 pictures to a post."),
        ("large", "The picture is too large"),
    ],
)
def test_bad_pictures_are_a_400_and_nothing_is_saved(author_client, case, message, monkeypatch):
    data = with_pictures(picture_1=picture(), alt_1="Fine")
    if case == "fake":
        data.update(picture_2=fake_jpeg(), alt_2="Fake")
    elif case == "pixels":
        data.update(picture_2=too_many_pixels(), alt_2="Huge")
    elif case == "no_alt":
        data.update(picture_2=picture("b.png"), alt_2="  ")
    elif case == "fifth":
        for number in range(2, 6):
            data.update({f"picture_{number}": picture(f"{number}.png"), f"alt_{number}": "More"})
    elif case == "large":
        monkeypatch.setattr(pictures, "MAX_BYTES", 1000)
    response = author_client.post("/", data)
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Post.objects.exists() and not PostPicture.objects.exists()
    assert stored_files() == []


def test_a_failing_store_removes_the_files_already_stored_and_saves_no_post(author_client, monkeypatch):
    storage = storages["default"]  # the object behind default_storage (a lazy wrapper, not patchable)
    real_save = storage.save
    calls = []

    def failing_save(name, content, **kwargs):
        calls.append(name)
        if len(calls) == 3:  # the second picture's image
            raise OSError("the disk is full")
        return real_save(name, content, **kwargs)

    monkeypatch.setattr(storage, "save", failing_save)
    data = with_pictures(picture_1=picture(), alt_1="One", picture_2=picture("2.png"), alt_2="Two")
    with pytest.raises(OSError, match="the disk is full"):
        author_client.post("/", data)
    assert not Post.objects.exists() and not PostPicture.objects.exists()
    assert stored_files() == []


def test_editing_adds_and_removes_pictures(author_client, author, django_capture_on_commit_callbacks):
    author_client.post("/", with_pictures(picture_1=picture(), alt_1="Old one"))
    post = Post.objects.get()
    old = post.pictures.get()
    page = author_client.get(f"/post/{post.pk}/edit/").content.decode()
    assert 'enctype="multipart/form-data"' in page and "Old one" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(
            f"/post/{post.pk}/edit/",
            {"body": "edited", "remove_pictures": [old.pk], "picture_1": picture("new.png"), "alt_1": "New"},
        )
    assert response.status_code == 302
    new = post.pictures.get()
    assert new.alt == "New" and new.pk != old.pk
    assert stored_files() == sorted([new.image, new.thumbnail])


def test_editing_refuses_a_fifth_picture(author_client):
    data = with_pictures()
    for number in range(1, 5):
        data.update({f"picture_{number}": picture(f"{number}.png"), f"alt_{number}": f"Picture {number}"})
    author_client.post("/", data)
    post = Post.objects.get()
    response = author_client.post(
        f"/post/{post.pk}/edit/", {"body": "more", "picture_1": picture("5.png"), "alt_1": "Fifth"}
    )
    assert response.status_code == 400
    assert "A post can have at most 4 pictures. Remove some first." in response.content.decode()
    post.refresh_from_db()
    assert post.body == "pictures!" and post.pictures.count() == 4 and len(stored_files()) == 8


def test_deleting_a_post_deletes_its_files(author_client, django_capture_on_commit_callbacks):
    author_client.post("/", with_pictures(picture_1=picture(), alt_1="Gone soon"))
    post = Post.objects.get()
    assert len(stored_files()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        author_client.post(f"/post/{post.pk}/delete/")
    assert not Post.objects.exists() and not PostPicture.objects.exists()
    assert stored_files() == []


def test_the_api_lists_pictures(author_client, login, reader):
    author_client.post("/", with_pictures(picture_1=picture(size=(800, 600)), alt_1="Described"))
    shown = PostPicture.objects.get()
    response = login(reader).get("/api/v1/posts/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    (listed,) = response.json()["posts"]
    (item,) = listed["pictures"]
    assert {**item, "url": _bare(item["url"]), "thumbnail_url": _bare(item["thumbnail_url"])} == {
        "url": _absolute(_bare(shown.url)),
        "thumbnail_url": _absolute(_bare(shown.thumbnail_url)),
        "alt": "Described",
        "width": 800,
        "height": 600,
    }


def _bare(url):
    """An address without its query (a signed S3 link's signature changes with the moment it is made)."""
    return url.split("?", 1)[0]


def _absolute(url):
    """As the API writes an address: local media on the request's host, object storage's as it is."""
    return f"http://testserver{url}" if url.startswith("/") else url


@pytest.mark.parametrize("rows", [1, 20])
def test_home_query_count_is_fixed_with_pictures(
    login, reader, author, rows, compose_lists_afresh, draw_pages_afresh, django_assert_num_queries
):
    for _ in range(rows):
        post = PostFactory(author=author)
        for position in range(4):
            stored_picture(post, alt=f"Picture {position}", position=position)
    client = login(reader)
    client.get("/")
    # as test_views_posts.test_home_query_count_is_fixed, and one query for the pictures of the whole page
    compose_lists_afresh()  # the list composed afresh (blog.composed)
    with django_assert_num_queries(4):
        drawn = client.get("/")
    content = drawn.content.decode()
    assert content.count('loading="lazy"') >= rows * 4
    # the same list again, kept for readers of its kind: neither its rows nor its pictures are read
    # (blog.composed)
    draw_pages_afresh()  # (not the page kept whole: flasky_project.shells)
    with django_assert_num_queries(2):
        kept = client.get("/")
    assert same_list(kept, drawn)


def test_pictures_are_stored_in_the_bucket(s3_media, author_client):
    client, bucket, prefix = s3_media
    author_client.post("/", with_pictures(picture_1=picture(size=(900, 300)), alt_1="In the bucket"))
    shown = PostPicture.objects.get()
    stored = client.head_object(Bucket=bucket, Key=f"{prefix}/{shown.image}")
    assert stored["ContentType"] == "image/webp"
    page = author_client.get("/").content.decode()
    url = re.search(r'<img [^>]*src="([^"]+)" alt="In the bucket"', page).group(1).replace("&amp;", "&")
    assert url.startswith(f"{client.meta.endpoint_url}/{bucket}/{prefix}/posts/")
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - the local S3 server
        image = Image.open(io.BytesIO(response.read()))
    assert (image.format, image.size) == ("WEBP", (400, 133))


def test_the_alt_text_error_is_in_spanish(author_client):
    data = with_pictures(picture_1=picture(), alt_1="")
    response = author_client.post("/", data, headers={"accept-language": "es"})
    assert response.status_code == 400
    assert "Describe la imagen para quienes no pueden verla (texto alternativo)." in response.content.decode()
    assert not Post.objects.exists()


def test_deleting_the_author_or_deleting_in_the_admin_deletes_the_files(
    author_client, author, administrator_client, django_capture_on_commit_callbacks
):
    author_client.post("/", with_pictures(picture_1=picture(), alt_1="First"))
    author_client.post("/", with_pictures(body="again", picture_1=picture(), alt_1="Second"))
    first, second = Post.objects.order_by("pk")
    with django_capture_on_commit_callbacks(execute=True):
        administrator_client.post(f"/admin/blog/post/{first.pk}/delete/", {"post": "yes"})
    assert not Post.objects.filter(pk=first.pk).exists()
    assert stored_files() == sorted(pictures.file_names(second.pictures.all()))
    with django_capture_on_commit_callbacks(execute=True):
        author.delete()  # the account's posts go with it (a cascade)
    assert not PostPicture.objects.exists() and stored_files() == []
