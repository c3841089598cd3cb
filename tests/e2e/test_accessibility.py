"""Accessibility as a test: axe-core on every type of page, in both themes and both languages, with no
serious or critical violation; and a screenshot of each page at desktop and phone widths.

axe-core is vendored in tests/e2e/vendor/ (see README.txt there). The screenshots go to build/screenshots/;
`--screenshots-docs` also refreshes the few that docs/screenshots/ keeps for the README.
"""

import json

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.helpers import watch_for_errors
from tests.e2e.site_pages import PAGE_TYPES, build_site

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = settings.BASE_DIR
AXE_SOURCE = (ROOT / "tests" / "e2e" / "vendor" / "axe.min.js").read_text()
SCREENSHOTS = ROOT / "build" / "screenshots"
REPORTS = ROOT / "build" / "axe"
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
BLOCKING = ("serious", "critical")

LANGUAGES = {"en": ("en-US", "en-US,en;q=0.9"), "es": ("es-ES", "es-ES,es;q=0.9")}
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# The screenshots the README shows: (page type, theme, language, width) -> file name in docs/screenshots/.
FOR_DOCS = {
    ("home-visitor", "light", "en", DESKTOP["width"]): "home-light.png",
    ("post", "dark", "en", DESKTOP["width"]): "post-dark.png",
    ("home-visitor", "light", "en", PHONE["width"]): "home-phone.png",
    ("profile", "light", "es", DESKTOP["width"]): "profile-spanish.png",
}

# Third-party content (the talk's video player) is not ours to test, and the test machine may be offline.
RUN_AXE = """async () => {
  const results = await axe.run(document, {iframes: false, resultTypes: ["violations"]});
  return results.violations.map((rule) => ({
    id: rule.id,
    impact: rule.impact,
    help: rule.help,
    nodes: rule.nodes.map((node) => ({target: node.target.join(" "), summary: node.failureSummary})),
  }));
}"""


def run_axe(page):
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    return page.evaluate(RUN_AXE)


def session_cookies(users, base_url):
    """A logged-in session for each person, as the browser's cookie (logging in through the form for each
    would double the test's time)."""
    cookies = {}
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies[name] = {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}
    return cookies


def describe(findings):
    """The blocking violations, one line per rule and page, with the elements it found."""
    lines = []
    for page_id, violations in findings.items():
        for rule in violations:
            if rule["impact"] in BLOCKING:
                targets = "; ".join(node["target"] for node in rule["nodes"][:8])
                lines.append(f"{page_id}: {rule['id']} ({rule['impact']}, {rule['help']}) on {targets}")
    return "\n".join(lines)


def check_and_photograph(page, page_id, theme, language, *, docs):
    """axe-core's violations on the page at desktop and at phone width (the navigation collapses there),
    keyed by "page@width"; a full-page screenshot at each width."""
    findings = {}
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        findings[f"{page_id}@{viewport['width']}"] = run_axe(page)
        name = f"{page_id}-{theme}-{language}-{viewport['width']}.png"
        page.screenshot(path=SCREENSHOTS / name, full_page=True)
        if docs and (doc_name := FOR_DOCS.get((page_id, theme, language, viewport["width"]))):
            page.screenshot(path=DOCS_SCREENSHOTS / doc_name)  # the first screenful, as a visitor sees it
    page.set_viewport_size(DESKTOP)
    return findings


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_page_type_has_no_serious_accessibility_violations(
    browser, live_server, request, theme, language
):
    site = build_site()
    people = {name: site[name] for name in ("grace", "max")}
    sessions = session_cookies(people, live_server.url)
    locale, accept_language = LANGUAGES[language]
    context = browser.new_context(
        base_url=live_server.url,
        color_scheme=theme,
        locale=locale,
        extra_http_headers={"Accept-Language": accept_language},
        timezone_id="Europe/Madrid",
        viewport=DESKTOP,
    )
    context.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    page = context.new_page()
    problems = watch_for_errors(page)
    docs = request.config.getoption("--screenshots-docs")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    findings = {}
    for page_type in PAGE_TYPES:
        context.clear_cookies()
        cookies = [
            {"name": name, "value": value, "url": live_server.url} for name, value in page_type.cookies
        ]
        context.add_cookies(cookies + ([sessions[page_type.viewer]] if page_type.viewer else []))
        response = page.goto(page_type.path.format(**site))
        assert response.status == page_type.status, page_type.id
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("h1")).to_have_count(1)
        assert page.evaluate(f"matchMedia('(prefers-color-scheme: {theme})').matches")
        findings |= check_and_photograph(page, page_type.id, theme, language, docs=docs)
    context.close()

    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"{theme}-{language}.json").write_text(json.dumps(findings, indent=1, ensure_ascii=False))
    assert not describe(findings), "serious or critical violations:\n" + describe(findings)
    assert not problems, problems
