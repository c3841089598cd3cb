"""Fixtures every test can use: isolated settings, and the personas of the site with logged-in clients."""

import uuid

import pytest
from django import test
from django.utils import timezone, translation

from accounts.tests.factories import AdministratorFactory, ModeratorFactory, UserFactory


class Client(test.Client):
    """A test client whose requests end as real ones do: once the response is made, the request's
    transaction has committed, so its on-commit callbacks (queued emails and tasks) run."""

    def request(self, **request):
        with test.TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


@pytest.fixture
def client():
    return Client()


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    # Fast hashing; a cache namespace of the test's own (rate limits and sessions never leak between tests,
    # also when several workers share one Redis); uploads in a throwaway folder.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    # A request activates its reader's language and time zone in the thread, and they outlive the response:
    # a later test that renders without a request (rf, a task) must not inherit them.
    translation.deactivate()
    timezone.deactivate()


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
