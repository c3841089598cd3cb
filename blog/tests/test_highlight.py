"""Syntax highlighting of fenced code: which blocks are highlighted, that the HTML stays within the allowed
tags and classes, the stylesheet in both themes and its contrast, and stored posts rendered again."""

import importlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings

from blog import highlight
from blog.markdown import COMMENT_TAGS, render_markdown
from blog.models import Comment, Post
from blog.tests.factories import CommentFactory, PostFactory
from flasky_project.contrast import contrast_ratio

PYTHON = '```python\ndef greet(name):\n    return "<b>" + name  # a comment\n```'


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.seen = []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, dict(attrs)))


def elements(html):
    parser = _Elements()
    parser.feed(html)
    return parser.seen


def test_fenced_python_is_highlighted_with_token_spans():
    html = render_markdown(PYTHON)
    assert html.startswith('<pre class="highlight"><code class="language-python">')
    assert '<span class="k">def</span>' in html
    assert '<span class="nf">greet</span>' in html
    assert '<span class="c1"># a comment</span>' in html
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_highlighted_html_uses_only_allowed_tags_and_token_classes():
    source = "\n\n".join(f"```{language}\n{sample}\n```" for language, sample in SAMPLES.items())
    for tag, attrs in elements(render_markdown(source)):
        assert tag in {"pre", "code", "span"}
        if tag == "span":
            assert set(attrs) == {"class"} and attrs["class"] in highlight.TOKEN_CLASSES
        if tag == "pre":
            assert attrs == {"class": "highlight"}


SAMPLES = {
    "js": "const a = `x${y}`; // <script>alert(1)</script>",
    "html": '<a href="javascript:alert(1)" onclick="x()">hi</a><script>alert(1)</script>',
    "sql": "SELECT '<img src=x onerror=alert(1)>' FROM t; -- c",
    "bash": 'echo "$(rm -rf /)" > /dev/null',
    "diff": "-old\n+new <b>",
}


@pytest.mark.parametrize("language", ["brainfuck", "notalanguage", "Python3x"])
def test_unknown_language_stays_plain_escaped_code(language):
    html = render_markdown(f"```{language}\nx = '<b>'\n```")
    assert html == f"<pre><code class=\"language-{language}\">x = '&lt;b&gt;'\n</code></pre>"


def test_fence_without_language_is_not_guessed():
    assert render_markdown("```\ndef f(): pass\n```") == "<pre><code>def f(): pass\n</code></pre>"


def test_language_name_is_case_insensitive():
    assert '<span class="k">def</span>' in render_markdown("```Python\ndef f(): pass\n```")


def test_code_past_the_budget_stays_plain(monkeypatch):
    monkeypatch.setattr(highlight, "MAX_HIGHLIGHTED", 40)
    html = render_markdown("```python\nx = 1\n```\n\n```python\n" + "y = 2\n" * 10 + "```")
    assert html.count('<pre class="highlight">') == 1
    assert '<pre><code class="language-python">y = 2' in html


@pytest.mark.parametrize(
    "code",
    [
        "def f():\n    return 1\n\n" * 200,  # blank lines to cut at
        "x = 1\n" * 700,  # only line breaks
        "y" * 4_500,  # one long line
        "short\n" * 10,  # whole
    ],
)
def test_a_long_block_is_lexed_in_pieces_that_make_it_up(code):
    pieces = list(highlight._pieces(code))
    assert "".join(pieces) == code
    if len(code) <= highlight.WHOLE_BLOCK:
        assert pieces == [code]
    else:
        assert all(0 < len(piece) <= highlight.PIECE for piece in pieces)
        assert all(piece.endswith("\n\n") for piece in pieces[:-1]) or "\n\n" not in code


def test_a_long_block_is_highlighted_throughout():
    html = render_markdown("```python\n" + "def f():\n    return 1\n\n" * 300 + "```")
    assert html.count('<span class="k">def</span>') == 300
    assert html.count('<pre class="highlight">') == 1


def test_comments_show_code_unhighlighted():
    html = render_markdown(PYTHON, allowed=COMMENT_TAGS)
    assert "<span" not in html and "<pre" not in html
    assert "def greet(name):" in html


def test_spans_and_classes_written_by_hand_are_not_let_through():
    html = render_markdown('<span class="k">x</span> <pre class="highlight">y</pre>')
    assert "<span" not in html and "<pre" not in html


def test_pygments_output_that_is_not_flat_spans_is_refused():
    assert (
        highlight._SAFE_BLOCK.fullmatch(
            '<pre class="highlight"><code class="language-x"><b>x</b></code></pre>'
        )
        is None
    )
    assert (
        highlight._SAFE_BLOCK.fullmatch(
            '<pre class="highlight"><code class="language-x">'
            '<span class="k" onclick="x">x</span></code></pre>'
        )
        is None
    )
    assert highlight._SAFE_BLOCK.fullmatch(
        '<pre class="highlight"><code class="language-x"><span class="k">x</span> &amp;</code></pre>'
    )


def test_quotes_render_as_blockquote():
    assert render_markdown("> a quote") == "<blockquote>\n<p>a quote</p>\n</blockquote>"


# --- the stylesheet -------------------------------------------------------------------------------------


def test_committed_stylesheet_is_the_generated_one():
    css = (Path(settings.BASE_DIR) / "static/css/markup.css").read_text()
    assert css.split(highlight.STYLESHEET_MARKER, 1)[1] == highlight.stylesheet()


def test_stylesheet_has_both_themes():
    css = highlight.stylesheet()
    assert ".highlight .k {" in css and "[data-bs-theme=dark] .highlight .k {" in css
    assert "[data-bs-theme=dark] .highlight { background: #0d1117" in css
    assert not re.search(r"^(pre|td|span)\b", css, re.MULTILINE)  # nothing outside .highlight


@pytest.mark.parametrize("style", [highlight.LIGHT_STYLE, highlight.DARK_STYLE])
def test_every_token_colour_has_aa_contrast(style):
    low = [
        (str(token), round(contrast_ratio(fg, bg), 2))
        for token, fg, bg in highlight.contrast_pairs(style)
        if contrast_ratio(fg, bg) < 4.5
    ]
    assert low == []


@pytest.mark.django_db
def test_base_layout_links_the_stylesheet(client):
    assert "css/markup.css" in client.get("/").content.decode()


# --- stored posts ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_migration_highlights_stored_code_blocks():
    rerender = importlib.import_module("blog.migrations.0016_rerender_highlighted_code").rerender
    code, plain = PostFactory(body=PYTHON), PostFactory(body="just *text*")
    comment = CommentFactory(body=PYTHON)
    old_html = '<pre><code class="language-python">def greet(name): ...\n</code></pre>'
    Post.objects.filter(pk=code.pk).update(body_html=old_html)
    Post.objects.filter(pk=plain.pk).update(body_html="<p>kept</p>")  # no code block: not rendered again
    comment_html = Comment.objects.get(pk=comment.pk).body_html
    rerender(django_apps, None)
    assert Post.objects.get(pk=code.pk).body_html == render_markdown(PYTHON)
    assert '<span class="k">def</span>' in Post.objects.get(pk=code.pk).body_html
    assert Post.objects.get(pk=plain.pk).body_html == "<p>kept</p>"
    assert Comment.objects.get(pk=comment.pk).body_html == comment_html
