"""Steps the browser journeys share."""

import re

from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD


def watch_for_errors(page):
    """The list that collects the page's Content Security Policy violations and uncaught script errors:
    a journey asserts it is empty at the end."""
    problems = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and problems.append(message.text),
    )
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    return problems


def log_in(page, user, password=PASSWORD):
    page.goto("/auth/login/")
    page.locator("[name=login]").fill(user.email)
    page.locator("[name=password]").fill(password)
    page.locator("[name=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(rf"Hello,\s+{user.username}!"))


def log_out(page):
    page.get_by_role("button", name=re.compile("Account")).click()
    page.get_by_role("button", name="Log Out").click()
    expect(page.get_by_role("alert")).to_contain_text("You have been logged out.")
