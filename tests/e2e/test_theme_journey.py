"""The theme switch in a real browser: it follows the system, switches at once, and the choice survives a
reload (flasky_project.theme, static/js/theme.js)."""

import pytest
from playwright.sync_api import expect

from blog.tests.factories import PostFactory
from tests.e2e.helpers import watch_for_errors

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dark_system_page(browser, live_server):
    """A page in a browser whose system setting is dark (the page fixture's, with the colour scheme)."""
    context = browser.new_context(base_url=live_server.url, locale="en-US", color_scheme="dark")
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems = watch_for_errors(page)
    yield page
    context.close()
    assert not problems, problems


def background(page):
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_the_theme_follows_the_system_then_the_switch(dark_system_page):
    page = dark_system_page
    PostFactory(title="Hello")
    page.goto("/")
    html = page.locator("html")
    expect(html).to_have_attribute("data-bs-theme", "dark")  # "auto", and the system is dark
    assert background(page) == "rgb(33, 37, 41)"
    switch = page.get_by_role("group", name="Theme")
    expect(switch.get_by_role("button", name="Theme: same as the system")).to_have_attribute(
        "aria-pressed", "true"
    )

    switch.get_by_role("button", name="Theme: light").click()
    expect(html).to_have_attribute("data-bs-theme", "light")
    expect(switch.get_by_role("button", name="Theme: light")).to_have_attribute("aria-pressed", "true")
    assert background(page) == "rgb(255, 255, 255)"

    page.reload()  # remembered: the server renders the choice
    expect(html).to_have_attribute("data-bs-theme", "light")
    expect(switch.get_by_role("button", name="Theme: light")).to_have_attribute("aria-pressed", "true")

    # With the keyboard: Tab to the last button of the switch, Enter.
    switch.get_by_role("button", name="Theme: light").focus()
    page.keyboard.press("Tab")
    expect(switch.get_by_role("button", name="Theme: dark")).to_be_focused()
    page.keyboard.press("Enter")
    expect(html).to_have_attribute("data-bs-theme", "dark")
    page.goto("/talks/")
    expect(html).to_have_attribute("data-bs-theme", "dark")
    expect(page.get_by_role("link", name="Talks", exact=True)).to_have_attribute("aria-current", "page")


def test_without_javascript_the_switch_still_works(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, color_scheme="dark")
    page = context.new_page()
    page.goto("/")
    assert page.locator("html").get_attribute("data-bs-theme") is None
    assert background(page) == "rgb(33, 37, 41)"  # site.css follows the system (JS off for the page only)
    page.get_by_role("button", name="Theme: light").click()  # a form post, then back to the page
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("html").get_attribute("data-bs-theme") == "light"
    assert background(page) == "rgb(255, 255, 255)"
    context.close()
