"""The parts of pages that are the same for every reader of a language (fragments.rendered_once: the footer,
the blank post form, the blank comment form's fields) are drawn once a process, equal what their templates
draw afresh, follow the page's language on the next request, and hold nothing of one reader: the CSRF token
and the page's address are each response's own."""

import re
from unittest import mock

import pytest
from django.conf import settings
from django.middleware.csrf import _unmask_cipher_token
from django.template import TemplateSyntaxError, engines
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import override_script_prefix
from django.utils import translation

from blog.forms import CommentForm, PostForm
from blog.tests.factories import PostFactory
from flasky_project import fragments
from flasky_project.templatetags import layout

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_kept():
    fragments._ONCE.clear()


def page(client, path="/", language="en"):
    return client.get(path, headers={"accept-language": language}).content.decode()


def footer(html):
    return html[html.index("<footer") : html.index("</footer>") + len("</footer>")]


def post_form(html):
    return html[
        html.index('<form method="post" action="/" class="post-form"') : html.index(
            "</form>", html.index('class="post-form"')
        )
        + 7
    ]


def token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', html)[1]


def normalized(html):
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html))).strip()


def templates_drawn(client, path="/", language="en"):
    """The names of the templates that rendered_once drew for a request of ``path``."""
    with mock.patch.object(fragments, "get_template", wraps=fragments.get_template) as drawn:
        page(client, path, language)
    return [call.args[0] for call in drawn.call_args_list]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("who", ["visitor", "member"])
def test_the_footer_is_what_its_template_draws_afresh(login, reader, language, who):
    client = login(reader) if who == "member" else Client()
    path = "/search/?q=%22%3Cb%3E&type=people"
    for _round in range(2):  # drawn, then from memory
        html = footer(page(client, path, language))
        with translation.override(language):
            fresh = render_to_string(
                "_footer.html",
                {"here": path, "languages": settings.LANGUAGES, "csrf_token": token(html)},
            )
        assert normalized(html) == normalized(fresh)
        assert 'name="next" value="/search/?q=%22%3Cb%3E&amp;type=people"' in html
    assert "_footer.html" not in templates_drawn(client, path, language)


def test_the_footer_follows_the_pages_language(reader_client):
    assert "Language</label>" in footer(page(reader_client, language="en"))
    spanish = footer(page(reader_client, language="es"))
    assert "Language</label>" not in spanish and 'value="es" selected' in spanish
    english = footer(page(reader_client, language="en"))
    assert "Language</label>" in english and 'value="en" selected' in english


def test_the_blank_post_form_is_what_its_template_draws_afresh(reader_client):
    for language in ("en", "es", "en"):
        html = post_form(page(reader_client, language=language))
        with translation.override(language):
            fresh = render_to_string(
                "blog/_post_form.html",
                {"form": PostForm(), "action": "/", "submit_label": translation.gettext("Submit")}
                | {"csrf_token": token(html)},
            )
        assert normalized(html) == normalized(fresh)
    assert "blog/_post_form.html" not in templates_drawn(reader_client)


def test_the_blank_comment_form_is_what_its_template_draws_afresh(reader_client):
    path = PostFactory().get_absolute_url()
    for language in ("en", "es"):
        html = page(reader_client, path, language)
        with translation.override(language):
            fresh = render_to_string("blog/_comment_form_fields.html", {"form": CommentForm()})
        assert normalized(fresh) in normalized(html)
    assert "blog/_comment_form_fields.html" not in templates_drawn(reader_client, path)


def test_two_readers_get_their_own_tokens_in_the_footer_and_the_post_form(login, author):
    clients = [login(author), login(PostFactory().author)]
    for _round in range(2):
        for client in clients:
            html = page(client)
            secret = client.cookies["csrftoken"].value
            assert _unmask_cipher_token(token(footer(html))) == secret
            assert _unmask_cipher_token(token(post_form(html))) == secret


def test_a_post_form_sent_back_with_errors_is_drawn_afresh(reader_client):
    page(reader_client)
    response = reader_client.post("/", {"body": "", "title": "Kept title"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Kept title"' in html and "is-invalid" in html
    assert "Kept title" not in "".join(fragments._ONCE.values())


def unmasked(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", html)


@pytest.mark.parametrize("theme", ["auto", "dark"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_parts_drawn_once_are_what_the_template_draws_each_time(reader_client, language, theme):
    """{% once %} (base.html's links and scripts, the home page's feeds): the page is the same with the parts
    drawn each time, and they follow the page's language and theme."""
    reader_client.cookies["theme"] = theme
    page(reader_client, language=language)
    once = unmasked(page(reader_client, language=language))
    with mock.patch.object(layout.OnceNode, "render", lambda node, context: node.nodelist.render(context)):
        each_time = unmasked(page(reader_client, language=language))
    assert once == each_time
    assert f'<meta name="color-scheme" content="{"light dark" if theme == "auto" else theme}">' in once
    skip = "Skip to content" if language == "en" else "Saltar al contenido"
    assert f'href="#content">{skip}</a>' in once
    kept = {key[2:] for key in fragments._ONCE if key[0] == "once"}
    assert {("head", language, "/", theme), ("skip", language, "/"), ("feeds", language, "/")} <= kept


def test_what_is_drawn_once_follows_the_script_prefix(reader_client):
    """A process served under two prefixes (behind a proxy at /flasky/ and directly) keeps each its own."""
    plain = footer(page(reader_client))
    with override_script_prefix("/flasky/"):
        prefixed = footer(page(reader_client))
    assert 'action="/i18n/setlang/"' in plain
    assert 'action="/flasky/i18n/setlang/"' in prefixed
    assert footer(page(reader_client)).count("/flasky/") == 0


def test_a_name_used_twice_in_one_template_is_refused():
    with pytest.raises(TemplateSyntaxError):
        engines["django"].from_string(
            "{% load layout %}{% once 'a' %}1{% endonce %}{% once 'a' %}2{% endonce %}"
        )


def test_templates_without_a_name_keep_their_own_parts():
    first = engines["django"].from_string("{% load layout %}{% once 'a' %}first{% endonce %}")
    second = engines["django"].from_string("{% load layout %}{% once 'a' %}second{% endonce %}")
    assert (first.render({}), second.render({})) == ("first", "second")
