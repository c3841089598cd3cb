"""Fixtures every test can use: isolated settings, a local S3 server, and the site's personas with clients."""

import contextlib
import copy
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from django import test
from django.utils import timezone, translation

from accounts.tests.factories import AdministratorFactory, ModeratorFactory, UserFactory


def pytest_addoption(parser):
    # Here rather than in tests/e2e/conftest.py: pytest reads options only from the conftest files it loads
    # before collecting, and that one is not among them when the run names no path.
    parser.addoption(
        "--screenshots-docs",
        action="store_true",
        help="Also refresh the screenshots in docs/screenshots/ (tests/e2e/test_accessibility.py).",
    )


class Client(test.Client):
    """A test client whose requests end as real ones do: once the response is made, the request's
    transaction has committed, so its on-commit callbacks (queued emails and tasks) run."""

    def request(self, **request):
        with test.TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


@pytest.fixture
def client():
    return Client()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Unless DATABASE_REPLICA_URLS names some, a replica for the routing tests: a second connection to the
    test database (Django's TEST MIRROR). Only tests that turn the router on read from it."""
    from django.conf import settings
    from django.db import connections

    if not settings.DATABASE_REPLICAS:
        replica = copy.deepcopy(connections.settings["default"])
        replica["TEST"] = {**replica.get("TEST", {}), "MIRROR": "default"}
        connections.settings["replica_0"] = replica


S3_TEST_BUCKET = "flasky-test-media"


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A real S3 server for the session: moto's standalone server (moto[server]), with the tests' bucket.

    Uses the one at TEST_S3_ENDPOINT_URL if given (.ci/run starts one), else starts its own on
    TEST_S3_PORT or a free port, and stops it at the end. Yields the endpoint URL.
    """
    import boto3

    endpoint = os.environ.get("TEST_S3_ENDPOINT_URL", "")
    process = None
    if not endpoint:
        port = int(os.environ.get("TEST_S3_PORT") or _free_port())
        endpoint = f"http://127.0.0.1:{port}"
        log = tmp_path_factory.mktemp("moto") / "moto.log"
        moto_server = Path(sys.executable).with_name("moto_server")
        process = subprocess.Popen(  # noqa: S603 - the venv's own moto_server, fixed arguments
            [str(moto_server), "-H", "127.0.0.1", "-p", str(port)],
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).close()  # noqa: S310 - loopback
            break
        except OSError:
            if time.monotonic() > deadline or (process and process.poll() is not None):
                raise RuntimeError(f"The S3 server at {endpoint} did not start") from None
            time.sleep(0.1)
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    with contextlib.suppress(
        client.exceptions.BucketAlreadyOwnedByYou, client.exceptions.BucketAlreadyExists
    ):
        client.create_bucket(Bucket=S3_TEST_BUCKET)
    yield endpoint
    if process:
        process.terminate()
        process.wait(timeout=10)


def s3_storages(settings, endpoint):
    """STORAGES with the S3 backend on the test server, under a key prefix of the test's own."""
    options = {
        "bucket_name": S3_TEST_BUCKET,
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
        "access_key": "test",
        "secret_key": "test",
        "location": f"test-{uuid.uuid4().hex}",
        "file_overwrite": False,
    }
    return {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}}


@pytest.fixture
def s3_media(settings, s3_server):
    """Media on the local S3 server for this test: (a boto3 client, the bucket, the test's key prefix)."""
    import boto3

    settings.STORAGES = s3_storages(settings, s3_server)
    options = settings.STORAGES["default"]["OPTIONS"]
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    return client, options["bucket_name"], options["location"]


@pytest.fixture(autouse=True)
def _isolated_settings(request, settings, tmp_path):
    # Fast hashing; a cache namespace of the test's own (rate limits and sessions never leak between tests,
    # also when several workers share one Redis); uploads in a throwaway folder, or (MEDIA_STORAGE=s3) under
    # a throwaway prefix on the local S3 server.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    if settings.MEDIA_STORAGE == "s3":
        settings.STORAGES = s3_storages(settings, request.getfixturevalue("s3_server"))
    yield
    # A request activates its reader's language and time zone in the thread, and they outlive the response:
    # a later test that renders without a request (rf, a task) must not inherit them.
    translation.deactivate()
    timezone.deactivate()


@pytest.fixture
def compose_lists_afresh(monkeypatch):
    """compose_lists_afresh(): the next page's list of posts is composed afresh, not taken from the lists
    kept for readers of its kind (blog.composed) nor from a page kept whole (flasky_project.shells), as
    after a deploy that changes how lists look; unlike a new page generation, it leaves the other counts
    kept under the generation in place."""

    def afresh():
        from blog import composed  # noqa: PLC0415 - Django is set up by then
        from flasky_project import shells  # noqa: PLC0415

        version = uuid.uuid4().hex
        monkeypatch.setattr(composed, "_version", lambda: version)
        monkeypatch.setattr(shells, "_version", lambda: version)

    return afresh


@pytest.fixture
def served(monkeypatch):
    """How many members' pages were served from a page kept for readers of their kind (flasky_project.shells)
    since: a list that grows by one for each."""
    from flasky_project import shells  # noqa: PLC0415 - Django is set up by then

    count = []
    serve = shells._serve

    def counting(*args):
        response = serve(*args)  # (a filler's Redraw is not a page served)
        count.append(1)
        return response

    monkeypatch.setattr(shells, "_serve", counting)
    return count


@pytest.fixture
def draw_pages_afresh(monkeypatch):
    """draw_pages_afresh(): the next member's page is drawn by its view, not served from the pages kept for
    readers of its kind (flasky_project.shells), as after a deploy that changes a template; the lists and
    counts kept under the generation stay in place."""

    def afresh():
        from flasky_project import shells  # noqa: PLC0415 - Django is set up by then

        version = uuid.uuid4().hex
        monkeypatch.setattr(shells, "_version", lambda: version)

    return afresh


@pytest.fixture
def login():
    """login(user) -> a test Client logged in as that user (call it again for a second browser)."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def author(db):
    return UserFactory(username="author")


@pytest.fixture
def reader(db):
    return UserFactory(username="reader")


@pytest.fixture
def moderator(db):
    return ModeratorFactory(username="moderator")


@pytest.fixture
def administrator(db):
    return AdministratorFactory(username="administrator")


@pytest.fixture
def unconfirmed(db):
    return UserFactory(username="newcomer", confirmed=False)


@pytest.fixture
def author_client(login, author):
    return login(author)


@pytest.fixture
def reader_client(login, reader):
    return login(reader)


@pytest.fixture
def moderator_client(login, moderator):
    return login(moderator)


@pytest.fixture
def administrator_client(login, administrator):
    return login(administrator)
