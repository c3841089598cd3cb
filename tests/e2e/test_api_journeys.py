"""The API in a real browser: the documentation page works from the site's own files (and within the
Content Security Policy, which the fixtures check), and a logged-in page's script can call the API with its
session and CSRF token."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from api.tests.contract import openapi
from blog.models import Post
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_documentation_page_renders_every_endpoint_without_leaving_the_site(page, live_server):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible()
    expect(page.get_by_text("/api/v1/posts/", exact=True).first).to_be_visible()
    operations = sum(len(methods) for methods in openapi()["paths"].values())
    expect(page.locator(".opblock")).to_have_count(operations)
    page.locator(".opblock-summary").first.click()  # an operation opens, with its example responses
    expect(page.locator(".opblock-body .responses-table").first).to_be_visible()
    assert requested and all(url.startswith(live_server.url) for url in requested), requested


def test_a_logged_in_page_s_script_uses_the_api_with_its_csrf_token(page, live_server):
    alice = UserFactory(username="alice")
    log_in(page, alice)
    result = page.evaluate(
        """async () => {
            const csrf = document.cookie.split("; ").find(c => c.startsWith("csrftoken="))?.split("=")[1]
                || document.querySelector("[name=csrfmiddlewaretoken]")?.value;
            const send = (headers) => fetch("/api/v1/posts/", {
                method: "POST", credentials: "same-origin",
                headers: {"Content-Type": "application/json", ...headers},
                body: JSON.stringify({body: "from *the page*"}),
            });
            const without = await send({});
            const withToken = await send({"X-CSRFToken": csrf});
            return [without.status, withToken.status, (await withToken.json()).body_html];
        }"""
    )
    assert result == [403, 201, "<p>from <em>the page</em></p>"]
    assert Post.objects.get().author == alice
