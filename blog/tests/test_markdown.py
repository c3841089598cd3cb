"""The Markdown pipeline: Flasky's check values, the allowed tags, and a corpus of XSS payloads."""

import importlib
import random
from html.parser import HTMLParser
from urllib.parse import urlsplit

import markdown as markdown_lib
import pytest
from django.apps import apps as django_apps
from markdown import inlinepatterns

from blog.markdown import COMMENT_TAGS, MAX_EMPHASIS_DEPTH, MAX_NESTING, POST_TAGS, _Backtick, render_markdown
from blog.models import Comment, Post
from blog.tests.factories import CommentFactory, PostFactory

# Attacks in Markdown and in raw HTML, in the shapes that sanitisers have got wrong over the years.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<svg/onload=alert("x")>',
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    '[click](http://example.com" onmouseover="alert(1))',
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    '![x](http://x.example/a.png" onerror="alert(1))',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<object data=javascript:alert(1)></object>",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!--<img src=x onerror=alert(1)>-->",
    '<p title="</p><script>alert(1)</script>">x</p>',
    "```\n</code></pre><script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
    '<b onclick="alert(1)">bold</b>',
    "<a href='http://ok.example' onclick='alert(1)'>x</a>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<base href=javascript:alert(1)//>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<img src="x` `<script>alert(1)</script>"` `>',
    "[x](https://ok.example/\\u0000javascript:alert(1))",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\u202e<script>alert(1)</script>",
]

EVENT_OR_STYLE = ("on", "style", "src", "srcdoc", "formaction", "action", "data")


class _Walker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.hrefs = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            self.attributes.append((tag, name))
            if name == "href":
                self.hrefs.append(value or "")


def _walk(html):
    walker = _Walker()
    walker.feed(html)
    return walker


def test_flaskys_post_check_values():
    assert render_markdown("body of the *blog* post") == "<p>body of the <em>blog</em> post</p>"
    assert render_markdown("updated body") == "<p>updated body</p>"


def test_flaskys_comment_check_value():
    html = render_markdown("Good [post](http://example.com)!", allowed=COMMENT_TAGS)
    walker = _Walker()
    text = []
    walker.handle_data = text.append
    walker.feed(html)
    assert "".join(text) == "Good post!"


def test_links_get_rel_nofollow_ugc_noopener():
    assert render_markdown("[site](https://example.com)") == (
        '<p><a href="https://example.com" rel="nofollow ugc noopener">site</a></p>'
    )


def test_bare_addresses_become_links_but_not_inside_code():
    assert 'href="https://example.com/a?b=1"' in render_markdown("see https://example.com/a?b=1, then")
    assert "href" not in render_markdown("`https://example.com`")
    assert "href" not in render_markdown("```\nhttps://example.com\n```")


def test_fenced_code_blocks_keep_their_language_and_escape_their_content():
    # A language that is not highlighted (test_highlight.py has the ones that are).
    html = render_markdown('```pseudo\nprint("<b>")\n```')
    assert html == '<pre><code class="language-pseudo">print(&quot;&lt;b&gt;&quot;)\n</code></pre>'


def test_post_tags_are_flaskys_with_headings_a_level_down():
    html = render_markdown("# h1\n\n## h2\n\n### h3\n\n> quote\n\n1. one\n\n- two\n\n**b** _i_ `c`")
    assert set(_walk(html).tags) <= POST_TAGS
    assert "<h2>h1</h2>\n<h3>h2</h3>\n<h4>h3</h4>" in html


@pytest.mark.parametrize(
    ("source", "heading"),
    [
        ("# Title", "<h2>Title</h2>"),
        ("Title\n=====", "<h2>Title</h2>"),
        ("## Part", "<h3>Part</h3>"),
        ("Part\n----", "<h3>Part</h3>"),
        ("#### Four", "<h5>Four</h5>"),
        ("##### Five", "<h6>Five</h6>"),
        ("###### Six", "<h6>Six</h6>"),
    ],
)
def test_headings_move_down_a_level_so_the_page_keeps_its_one_h1(source, heading):
    assert render_markdown(source) == heading


def test_no_heading_is_an_h1_even_in_a_comment():
    assert "<h1" not in render_markdown("# a\n\nb\n=\n\n<h1>c</h1>")
    assert render_markdown("# Big", allowed=COMMENT_TAGS) == "Big"


def test_lists_and_quotes_nest_sixteen_deep_then_show_the_rest_as_text():
    html = render_markdown("- " * 1000 + "end")
    assert html.count("<ul>") == MAX_NESTING
    assert html.count("- ") == 1000 - MAX_NESTING and "end</li>" in html
    html = render_markdown("".join("    " * level + f"- item {level}\n" for level in range(300)))
    assert "item 299" in html and html.count("<ul>") <= MAX_NESTING + 1
    assert render_markdown("> " * 5000 + "deep").count("<blockquote>") == MAX_NESTING


def test_emphasis_nests_at_most_sixteen_deep_and_keeps_its_text():
    html = render_markdown("*1 **2 " * 100 + "3" + " 4** 5*" * 100)
    assert html.count("<em>") + html.count("<strong>") == MAX_EMPHASIS_DEPTH
    assert [html.count(digit) for digit in "12345"] == [100, 100, 1, 100, 100]


def test_links_long_brackets_and_code_spans_still_render():
    assert render_markdown("[a [b] c](https://x.example/(y))") == (
        '<p><a href="https://x.example/(y)" rel="nofollow ugc noopener">a [b] c</a></p>'
    )
    assert render_markdown('[a](https://x.example "T")\n\n[r]\n\n[r]: https://r.example') == (
        '<p><a href="https://x.example" title="T" rel="nofollow ugc noopener">a</a></p>\n'
        '<p><a href="https://r.example" rel="nofollow ugc noopener">r</a></p>'
    )
    assert render_markdown("[" * 3000 + "[x](https://x.example)").endswith(
        '<a href="https://x.example" rel="nofollow ugc noopener">x</a></p>'
    )
    assert render_markdown("`` a ` b `` and ```c``") == "<p><code>a ` b</code> and <code>`c</code></p>"


def _backticks_only(processor):
    converter = markdown_lib.Markdown()
    converter.inlinePatterns.register(processor(inlinepatterns.BACKTICK_RE), "backtick", 190)
    return converter


def test_code_spans_are_found_as_python_markdown_finds_them():
    """Our code spans (runs indexed once a run finds no closing run) against Python-Markdown's own
    character-by-character search, on random texts of backticks, backslashes, letters and spaces, whole
    documents through the real inline pass (which hands the processor a new text after each span)."""
    ours, theirs = _backticks_only(_Backtick), _backticks_only(inlinepatterns.BacktickInlineProcessor)
    pieces = ["`", "``", "```", "e", " ", "\\", "\\\\", "\n"]
    chance = random.Random(14)
    for _ in range(3000):
        text = "".join(chance.choice(pieces) for _ in range(chance.randrange(1, 40)))
        assert ours.reset().convert(text) == theirs.reset().convert(text), repr(text)


def test_comments_have_no_blocks():
    html = render_markdown("# Big\n\n- item\n\n> quote", allowed=COMMENT_TAGS)
    assert set(_walk(html).tags) <= COMMENT_TAGS
    assert "Big" in html and "item" in html


def test_raw_html_is_shown_as_text():
    assert render_markdown("I like <b>bold</b> & <i>it</i>") == (
        "<p>I like &lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;it&lt;/i&gt;</p>"
    )


def test_images_are_not_allowed():
    assert "<img" not in render_markdown("![a cat](https://example.com/cat.png)")


def test_empty_source_is_empty_html():
    assert render_markdown("") == ""


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
@pytest.mark.parametrize("allowed", [POST_TAGS, COMMENT_TAGS], ids=["post", "comment"])
def test_no_xss_payload_survives(payload, allowed):
    html = render_markdown(payload, allowed=allowed)
    walker = _walk(html)
    assert set(walker.tags) <= allowed, html
    assert all(name in {"href", "title", "rel", "class"} for _, name in walker.attributes), html
    assert not any(name.startswith(EVENT_OR_STYLE) for _, name in walker.attributes), html
    for href in walker.hrefs:
        scheme = urlsplit(href.strip()).scheme.lower()
        assert scheme in {"", "http", "https", "mailto"}, html
    assert "<script" not in html.lower() and "<svg" not in html.lower() and "<iframe" not in html.lower()


@pytest.mark.django_db
def test_the_migration_renders_stored_headings_again_a_level_down():
    rerender = importlib.import_module("blog.migrations.0008_rerender_headings").rerender
    heading, plain = PostFactory(body="# Big\n\n#### small"), PostFactory(body="just *text*")
    comment = CommentFactory(body="# Big")
    old_html = "<h1>Big</h1>\nsmall"  # as the old pipeline stored it
    Post.objects.filter(pk=heading.pk).update(body_html=old_html)
    Post.objects.filter(pk=plain.pk).update(body_html="<p>kept</p>")  # no heading: not rendered again
    rerender(django_apps, None)
    assert Post.objects.get(pk=heading.pk).body_html == "<h2>Big</h2>\n<h5>small</h5>"
    assert Post.objects.get(pk=plain.pk).body_html == "<p>kept</p>"
    assert Comment.objects.get(pk=comment.pk).body_html == "Big"
