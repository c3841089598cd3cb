"""Download your data: the task builds a ZIP in default_storage and emails a link that works once, for 24
hours, only for its owner."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import personal_data, services
from accounts.avatars import process_avatar
from accounts.models import DataExport
from accounts.tests.helpers import link_in
from accounts.tests.images import picture
from blog import services as blog_services
from blog.pictures import process_picture
from blog.tests.factories import CommentFactory, PostFactory
from schedule.tests.factories import AppointmentFactory
from social.tests.factories import FollowFactory
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db


def _zip_of(response):
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _ask(client, mailoutbox):
    response = client.post(reverse("accounts:data_export"))
    assert response.status_code == 302
    return link_in(mailoutbox[-1], "/settings/data/download/")


@pytest.fixture
def readers_data(reader, author):
    post = PostFactory(author=reader, title="", body="My *first* post")
    talk = TalkFactory(post__author=reader, post__title="Django at scale", venue="Room 1")
    CommentFactory(post=PostFactory(author=author), author=reader, body="Nice one")
    AppointmentFactory(owner=reader, title="Lunch")
    FollowFactory(follower=reader, followed=author)
    FollowFactory(follower=author, followed=reader)
    return post, talk


def test_the_zip_holds_every_part_of_your_data(reader_client, reader, readers_data, mailoutbox):
    services.replace_avatar(reader, process_avatar(picture()))
    link = _ask(reader_client, mailoutbox)
    assert mailoutbox[-1].to == [reader.email]
    export = DataExport.objects.get(user=reader)
    assert default_storage.exists(export.file_name)

    response = reader_client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = _zip_of(response)
    names = set(archive.namelist())
    assert names == {
        "profile.json",
        "posts.json",
        "comments.json",
        "talks.json",
        "appointments.json",
        "follows.json",
        "avatar.webp",
    }
    assert json.loads(archive.read("profile.json"))["username"] == "reader"
    posts = json.loads(archive.read("posts.json"))
    assert {p["body"] for p in posts} >= {"My *first* post"}
    assert [t["venue"] for t in json.loads(archive.read("talks.json"))] == ["Room 1"]
    assert [c["body"] for c in json.loads(archive.read("comments.json"))] == ["Nice one"]
    assert [a["title"] for a in json.loads(archive.read("appointments.json"))] == ["Lunch"]
    follows = json.loads(archive.read("follows.json"))
    assert follows == {
        "following": [{"username": "author", "since": follows["following"][0]["since"]}],
        "followers": [{"username": "author", "since": follows["followers"][0]["since"]}],
    }
    with default_storage.open(reader.avatar.name, "rb") as avatar:
        assert archive.read("avatar.webp") == avatar.read()


def test_the_zip_holds_the_pictures_of_your_posts_with_their_alt_text(
    reader_client, reader, author, mailoutbox
):
    post = blog_services.publish_post(
        author=reader,
        body="Two pictures",
        pictures=[
            (process_picture(picture("a.png")), "A red wall"),
            (process_picture(picture("b.png")), "B"),
        ],
    )
    blog_services.publish_post(author=author, body="not mine", pictures=[(process_picture(picture()), "X")])
    first, second = post.pictures.all()
    archive = _zip_of(reader_client.get(_ask(reader_client, mailoutbox)))
    (exported,) = json.loads(archive.read("posts.json"))
    files = [f"pictures/{post.pk}/{first.pk}.webp", f"pictures/{post.pk}/{second.pk}.webp"]
    assert exported["pictures"] == [{"file": files[0], "alt": "A red wall"}, {"file": files[1], "alt": "B"}]
    assert sorted(name for name in archive.namelist() if name.startswith("pictures/")) == files
    with default_storage.open(first.image, "rb") as stored:
        assert archive.read(files[0]) == stored.read()


def test_the_link_works_once(reader_client, reader, mailoutbox):
    link = _ask(reader_client, mailoutbox)
    name = DataExport.objects.get(user=reader).file_name
    b"".join(reader_client.get(link).streaming_content)
    assert not default_storage.exists(name)
    again = reader_client.get(link)
    assert again.status_code == 404
    assert DataExport.objects.get(user=reader).downloaded is not None


def test_the_link_is_only_for_its_owner(reader_client, reader, login, author, mailoutbox):
    link = _ask(reader_client, mailoutbox)
    assert login(author).get(link).status_code == 404
    # Still there for its owner: the other user's try did not use it up.
    assert reader_client.get(link).status_code == 200


def test_the_link_needs_a_login(client, reader_client, reader, mailoutbox):
    link = _ask(reader_client, mailoutbox)
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert DataExport.objects.get(user=reader).downloaded is None


def test_the_link_expires_after_24_hours(reader_client, reader, mailoutbox, settings):
    assert settings.FLASKY_DATA_EXPORT_HOURS == 24
    link = _ask(reader_client, mailoutbox)
    DataExport.objects.filter(user=reader).update(expires=timezone.now() - timedelta(seconds=1))
    assert reader_client.get(link).status_code == 404


def test_a_forged_link_is_refused(reader_client, reader, mailoutbox):
    link = _ask(reader_client, mailoutbox)
    assert reader_client.get(link.replace("/download/", "/download/x")).status_code == 404


def test_one_pending_export_at_a_time(reader_client, reader, mailoutbox):
    _ask(reader_client, mailoutbox)
    response = reader_client.post(reverse("accounts:data_export"), follow=True)
    assert "already asked" in response.content.decode()
    assert DataExport.objects.filter(user=reader).count() == 1
    assert len(mailoutbox) == 1


def test_a_new_export_once_the_last_was_downloaded(reader_client, reader, mailoutbox):
    link = _ask(reader_client, mailoutbox)
    b"".join(reader_client.get(link).streaming_content)
    _ask(reader_client, mailoutbox)
    assert DataExport.objects.filter(user=reader).count() == 2


def test_the_export_page_asks_by_post(reader_client, reader):
    response = reader_client.get(reverse("accounts:data_export"))
    assert response.status_code == 200
    assert not DataExport.objects.exists()


def test_the_command_deletes_expired_exports_and_their_files(reader_client, reader, mailoutbox):
    _ask(reader_client, mailoutbox)
    export = DataExport.objects.get(user=reader)
    DataExport.objects.filter(pk=export.pk).update(expires=timezone.now() - timedelta(minutes=1))
    call_command("delete_expired_exports", stdout=io.StringIO())
    assert not default_storage.exists(export.file_name)
    assert not DataExport.objects.exists()


def test_the_zip_is_written_to_s3_through_default_storage(s3_media, reader_client, reader, mailoutbox):
    client, bucket, prefix = s3_media
    link = _ask(reader_client, mailoutbox)
    name = DataExport.objects.get(user=reader).file_name
    keys = [item["Key"] for item in client.list_objects_v2(Bucket=bucket, Prefix=prefix)["Contents"]]
    assert f"{prefix}/{name}" in keys
    assert "profile.json" in _zip_of(reader_client.get(link)).namelist()
    remaining = client.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
    assert f"{prefix}/{name}" not in [item["Key"] for item in remaining]


def test_an_export_still_being_built_cannot_be_downloaded(reader):
    export = DataExport.objects.create(user=reader, expires=timezone.now() + timedelta(hours=1))
    token = personal_data.download_token(export)
    assert personal_data.export_for_download(token, reader) is None
