"""The colour theme switch: light, dark or the system's, remembered in a cookie (flasky_project.theme)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def html_tag(content):
    return re.search(r"<html[^>]*>", content).group(0)


def pressed(content):
    """The value of the switch's pressed button."""
    return re.findall(r'name="theme" value="(\w+)"[^>]*aria-pressed="true"', content)


def test_without_a_choice_the_page_follows_the_system(client):
    content = client.get("/").content.decode()
    assert "data-bs-theme" not in html_tag(content)  # static/js/theme.js, or site.css without JavaScript
    assert '<meta name="color-scheme" content="light dark">' in content
    assert pressed(content) == ["auto"]


def test_the_theme_script_runs_in_the_head_before_the_styles(client):
    content = client.get("/").content.decode()
    head = content[: content.index("</head>")]
    assert head.index('src="/static/js/theme.js"') < head.index('rel="stylesheet"')


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_chosen_theme_is_remembered_and_rendered(client, theme):
    response = client.post("/theme/", {"theme": theme, "next": "/talks/"})
    assert response.status_code == 302 and response["Location"] == "/talks/"
    cookie = response.cookies["theme"]
    assert cookie.value == theme and cookie["max-age"] == 365 * 24 * 60 * 60 and not cookie["httponly"]
    content = client.get("/talks/").content.decode()
    assert f'data-bs-theme="{theme}"' in html_tag(content)
    assert f'<meta name="color-scheme" content="{theme}">' in content
    assert pressed(content) == [theme]


def test_choosing_auto_again_follows_the_system(client):
    client.post("/theme/", {"theme": "dark"})
    client.post("/theme/", {"theme": "auto"})
    content = client.get("/").content.decode()
    assert "data-bs-theme" not in html_tag(content) and pressed(content) == ["auto"]


def test_an_unknown_theme_is_refused(client):
    response = client.post("/theme/", {"theme": "purple"})
    assert response.status_code == 400 and "theme" not in response.cookies
    assert "That theme is not available." in response.content.decode()


def test_a_forged_cookie_falls_back_to_the_system(client):
    client.cookies["theme"] = '"><script>'
    content = client.get("/").content.decode()
    assert "data-bs-theme" not in html_tag(content) and pressed(content) == ["auto"]


def test_the_switch_only_takes_posts(client):
    assert client.get("/theme/?theme=dark").status_code == 405


def test_the_switch_never_sends_you_off_the_site(client):
    response = client.post("/theme/", {"theme": "dark", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_switch_is_labelled_and_works_without_javascript(client):
    content = client.get("/").content.decode()
    form = content[
        content.index('<form class="theme-switch') : content.index("</form>", content.index("theme-switch"))
    ]
    assert 'method="post" action="/theme/"' in form and 'name="csrfmiddlewaretoken"' in form
    assert 'role="group" aria-labelledby="theme-switch-label"' in form and 'id="theme-switch-label"' in form
    for label in ("Theme: same as the system", "Theme: light", "Theme: dark"):
        assert f'<span class="visually-hidden">{label}</span>' in form


def test_the_switch_speaks_spanish(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    content = client.get("/").content.decode()
    assert "Tema: oscuro" in content and "Tema: claro" in content


def test_without_javascript_the_styles_follow_the_system():
    """For "auto" without JavaScript no data-bs-theme is set: site.css carries Bootstrap's dark values under
    the system's dark setting."""
    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
    block = css[css.index("@media (prefers-color-scheme: dark)") :]
    assert ":root:not([data-bs-theme]) { color-scheme:dark;--bs-body-color:#dee2e6;" in block
    assert "--bs-body-bg:#212529" in block
