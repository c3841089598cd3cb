"""Account journeys in a real browser: register, confirm, log in, edit the profile, log out."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.helpers import LINK
from accounts.tests.images import picture
from tests.e2e.helpers import log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)


def test_register_confirm_log_in_edit_profile_log_out(page, live_server, mailoutbox, tmp_path):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Hello,\s+Stranger!"))
    page.get_by_role("link", name="Register").click()
    page.get_by_label("Email").fill("john@example.com")
    page.get_by_label("Username").fill("john")
    page.locator("[name=password1]").fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.locator("[name=submit]").click()

    # As Flasky: not logged in yet (the same answer as for an address that has an account), sent to confirm.
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    (message,) = mailoutbox
    assert message.subject == "[Flasky] Confirm Your Account"
    link = next(url for url in LINK.findall(message.body) if "/confirm-email/" in url)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("alert")).to_contain_text("You have confirmed john@example.com. Thanks!")

    page.goto("/")
    page.get_by_role("link", name="Log In").click()
    expect(page.locator("h1")).to_have_text("Login")
    page.locator("[name=login]").fill("John@Example.com")
    page.locator("[name=password]").fill(PASSWORD)
    page.get_by_label("Keep me logged in").check()
    page.locator("[name=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Hello,\s+john!"))

    page.get_by_role("link", name="Profile").click()
    expect(page.locator("h1")).to_have_text("john")
    page.get_by_role("link", name="Edit Profile").click()
    page.get_by_label("Real name").fill("John Doe")
    page.get_by_label("Location").fill("Lisbon")
    avatar = tmp_path / "me.png"
    avatar.write_bytes(picture(size=(900, 600)).read())
    page.get_by_label("Avatar").set_input_files(str(avatar))
    page.locator("[name=submit]").click()

    expect(page.get_by_role("alert")).to_contain_text("Your profile has been updated.")
    expect(page.locator("h1")).to_have_text("john")
    expect(page.get_by_text("John Doe")).to_be_visible()
    header_avatar = page.locator(".profile-avatar img")
    expect(header_avatar).to_have_attribute("src", re.compile(r"^/media/avatars/.+\.webp$"))
    # The uploaded picture is served and decodes to the 256-pixel square the upload was cut to.
    page.wait_for_function("() => document.querySelector('.profile-avatar img').naturalWidth === 256")
    log_out(page)
    assert User.objects.get(username="john").name == "John Doe"


def test_bad_avatar_gets_a_clear_error_in_the_browser(page, live_server, tmp_path):
    log_in(page, UserFactory(username="susan"))
    page.goto("/edit-profile/")
    fake = tmp_path / "holiday.jpg"
    fake.write_text("definitely not a picture")
    page.get_by_label("Avatar").set_input_files(str(fake))
    page.locator("[name=submit]").click()
    expect(page.get_by_text("The file is not a picture.")).to_be_visible()


def test_unconfirmed_user_is_held_at_the_unconfirmed_page(page, live_server, mailoutbox):
    user = UserFactory(username="waiting", confirmed=False)
    page.goto("/auth/login/")
    page.locator("[name=login]").fill(user.email)
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("[name=submit]").click()
    expect(page.get_by_text("You have not confirmed your account yet.")).to_be_visible()

    for path in ["/", "/user/waiting/", "/edit-profile/"]:
        page.goto(path)
        expect(page).to_have_url(re.compile(r"/auth/unconfirmed/$"))

    page.get_by_role("button", name="Click here").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "A confirmation email has been sent to waiting@example.com."
    )
    assert [message.to for message in mailoutbox] == [["waiting@example.com"]]
