"""Uploads go through default_storage and nothing else: a local folder, or S3 (a real local server, moto)."""

import ast
import io
import os
import re
import subprocess
import sys
import urllib.request

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.storage import InMemoryStorage, default_storage
from django.db.models import FileField
from PIL import Image

from accounts.tests.images import picture

APPS = ["accounts", "social", "blog", "talks", "schedule", "api", "flasky_project"]
# Code that writes files of its own that are not media, and why.
WRITES_ALLOWED = {
    "flasky_project/smtp_sink.py": "the smoke test's stand-in mail server writes its mail folder",
    "flasky_project/management/commands/profile.py": "the development profiler writes its reports",
}
# Methods of pathlib.Path and functions of os that write to, or remove from, a file system; and modules whose
# every use does.
PATH_WRITES = {"write_bytes", "write_text", "mkdir", "unlink", "rmdir"}
OS_WRITES = {"open", "remove", "unlink", "rename", "replace", "makedirs", "mkdir", "rmdir", "write", "link"}
FILE_SYSTEM_MODULES = {"shutil", "tempfile"}


def application_sources():
    for app in APPS:
        for path in sorted((settings.BASE_DIR / app).rglob("*.py")):
            relative = path.relative_to(settings.BASE_DIR).as_posix()
            if "/tests/" not in relative and "/migrations/" not in relative:
                yield relative, ast.parse(path.read_text(), filename=relative)


def file_field_names():
    return {
        field.name
        for model in apps.get_models()
        for field in model._meta.fields
        if isinstance(field, FileField)
    }


def direct_file_access(relative, tree):
    """Every place in one module that would read or write media without default_storage."""
    fields = file_field_names()
    found = []
    for node in ast.walk(tree):
        where = f"{relative}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Name) and node.id in ("FileSystemStorage", "open"):
            found.append(f"{where} uses {node.id}")
        elif isinstance(node, ast.Attribute):
            if node.attr == "MEDIA_ROOT" and relative not in (
                "flasky_project/settings.py",
                "flasky_project/urls.py",
            ):
                found.append(f"{where} reads MEDIA_ROOT")
            elif node.attr == "path" and isinstance(node.value, ast.Attribute) and node.value.attr in fields:
                found.append(f"{where} opens {node.value.attr}.path")
            elif relative in WRITES_ALLOWED:
                continue
            elif node.attr in PATH_WRITES:
                found.append(f"{where} calls {node.attr}()")
            elif isinstance(node.value, ast.Name) and (
                node.value.id in FILE_SYSTEM_MODULES or (node.value.id == "os" and node.attr in OS_WRITES)
            ):
                found.append(f"{where} uses {node.value.id}.{node.attr}")
    return found


def test_the_scan_finds_direct_file_access():
    code = (
        "open(settings.MEDIA_ROOT / 'a')\n"
        "Image.open(user.avatar.path)\n"
        "Path('x').write_bytes(b'')\n"
        "os.remove(name)\n"
        "storage = FileSystemStorage()\n"
        "statuses.remove(401)\n"  # a list's remove() is not a file
    )
    found = direct_file_access("blog/views.py", ast.parse(code))
    assert len(found) == 6, found


def test_no_application_code_touches_media_outside_default_storage():
    found = [line for relative, tree in application_sources() for line in direct_file_access(relative, tree)]
    assert found == []


def test_every_file_field_stores_through_default_storage():
    fields = [f for model in apps.get_models() for f in model._meta.fields if isinstance(f, FileField)]
    assert fields, "no file fields found: the scan above would prove nothing"
    assert all(field.storage is default_storage for field in fields)


class RecordingStorage(InMemoryStorage):
    """An in-memory storage that remembers every file saved into it and deleted from it."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.saved, self.deleted = [], []

    def _save(self, name, content):
        name = super()._save(name, content)
        self.saved.append(name)
        return name

    def delete(self, name):
        self.deleted.append(name)
        super().delete(name)


@pytest.mark.django_db
def test_avatar_upload_replace_and_removal_go_through_default_storage_only(
    settings, tmp_path, reader_client, reader
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "flasky_project.tests.test_media_storage.RecordingStorage"},
    }
    reader_client.post("/edit-profile/", {"avatar_upload": picture()})
    reader.refresh_from_db()
    first = reader.avatar.name
    assert reader.avatar.url in reader_client.get("/user/reader/").content.decode()
    reader_client.post("/edit-profile/", {"avatar_upload": picture(color=(0, 0, 255))})
    reader.refresh_from_db()
    second = reader.avatar.name
    reader_client.post("/edit-profile/", {"remove_avatar": "on"})
    reader.refresh_from_db()

    assert default_storage.saved == [first, second]
    assert default_storage.deleted == [first, second]
    assert not reader.avatar
    # ... and nothing at all was written to the local media folder.
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*"))


# --- on a real S3 server (moto's standalone server, started by the s3_server fixture) ---------------------


@pytest.mark.django_db
def test_avatar_is_stored_in_the_bucket_and_the_page_links_to_it(s3_media, reader_client, reader):
    client, bucket, prefix = s3_media
    reader_client.post("/edit-profile/", {"avatar_upload": picture(size=(800, 400))})
    reader.refresh_from_db()

    stored = client.head_object(Bucket=bucket, Key=f"{prefix}/{reader.avatar.name}")
    assert stored["ContentType"] == "image/webp"
    page = reader_client.get("/user/reader/").content.decode()
    url = re.search(r'<img src="([^"]+)"[^>]*width="256"', page).group(1).replace("&amp;", "&")
    assert url.startswith(f"{client.meta.endpoint_url}/{bucket}/{prefix}/avatars/")
    # The browser fetches the picture from the object store itself, not from a web worker.
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - the local S3 server
        image = Image.open(io.BytesIO(response.read()))
    assert (image.format, image.size) == ("WEBP", (256, 256))


@pytest.mark.django_db
def test_replacing_and_removing_an_avatar_deletes_the_objects(s3_media, reader_client, reader):
    client, bucket, prefix = s3_media
    reader_client.post("/edit-profile/", {"avatar_upload": picture()})
    reader.refresh_from_db()
    first = reader.avatar.name
    reader_client.post("/edit-profile/", {"avatar_upload": picture(color=(0, 0, 255))})
    reader.refresh_from_db()
    second = reader.avatar.name

    def keys():
        listing = client.list_objects_v2(Bucket=bucket, Prefix=f"{prefix}/")
        return [item["Key"] for item in listing.get("Contents", [])]

    assert keys() == [f"{prefix}/{second}"] and first != second
    reader_client.post("/edit-profile/", {"remove_avatar": "on"})
    reader.refresh_from_db()
    assert keys() == [] and not reader.avatar


def settings_with(**environment):
    """The settings a process started with these environment variables computes, as printed values."""
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.STORAGES['default']['BACKEND']); print(' '.join(s.CONTENT_SECURITY_POLICY['img-src']))"
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "flasky_project.settings", **environment},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def test_media_storage_s3_selects_django_storages_and_lets_pages_show_its_pictures():
    backend, img_src = settings_with(
        MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="media", AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000"
    )
    assert backend == "storages.backends.s3.S3Storage"
    assert "http://127.0.0.1:9000" in img_src.split()
    _, img_src = settings_with(
        MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="media", AWS_S3_CUSTOM_DOMAIN="media.example.com"
    )
    assert "https://media.example.com" in img_src.split()


def test_the_local_folder_is_the_default_storage():
    backend, _ = settings_with(MEDIA_STORAGE="")
    assert backend == "django.core.files.storage.FileSystemStorage"
