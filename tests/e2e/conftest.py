"""End-to-end fixtures: a real headless Chromium (Playwright) against the live test server."""

import os
import shutil

import pytest

from tests.e2e.helpers import watch_for_errors

# Playwright's synchronous API runs an event loop in the test's thread; the ORM calls the tests make to
# set up data and read the outbox are ordinary blocking calls, so Django must allow them there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_path():
    return os.environ.get("CHROMIUM_PATH") or next(
        (path for name in ("chromium", "chromium-browser") if (path := shutil.which(name))), None
    )


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/tests/e2e/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if not executable:
        message = "Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)."
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only when a browser exists

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-US", timezone_id="UTC")
    context.set_default_timeout(15_000)
    page = context.new_page()
    # The pages must satisfy their own Content Security Policy, and their scripts must not throw.
    problems = watch_for_errors(page)
    yield page
    context.close()
    assert not problems, problems
