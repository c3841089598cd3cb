"""Markdown as one line of text (blog.plaintext), and where it is shown: search snippets, the moderation
queue, the admin's lists."""

import pytest
from django.contrib.auth.models import AnonymousUser

from blog.plaintext import markdown_to_text
from blog.search import search_posts
from blog.tests.factories import CommentFactory, PostFactory
from moderation.models import Kind
from moderation.tests.factories import ReportFactory


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("# A heading\n\nA paragraph.", "A heading A paragraph."),
        ("Some **strong**, *emphasis*, _more_ and ~~struck~~.", "Some strong, emphasis, more and struck."),
        ("A [link](https://example.com/a_b) and ![a cat](https://x/cat.png).", "A link and a cat."),
        ("> quoted\n> twice", "quoted twice"),
        ("- one\n- two\n1. three", "one two three"),
        ("```python\nprint(1)\n```\n`code`", "print(1) code"),
        ("snake_case_name and 2*3*4", "snake_case_name and 2*3*4"),
        ("cut in a [link text](https://exam", "cut in a link text"),
        ("<https://example.com>", "https://example.com"),
        ("\\*not emphasis\\*", "*not emphasis*"),
    ],
    ids=[
        "heading",
        "emphasis",
        "links",
        "quote",
        "lists",
        "code",
        "words",
        "cut_link",
        "autolink",
        "escapes",
    ],
)
def test_markdown_becomes_its_words(markdown, text):
    assert markdown_to_text(markdown) == text


def test_the_search_markers_pass_through():
    assert markdown_to_text("**\x02run\x03** [a \x02run\x03](https://x)") == "\x02run\x03 a \x02run\x03"


@pytest.mark.django_db
def test_search_snippets_show_the_words_not_the_markdown():
    PostFactory(title="", body="## Notes\n\nI went for a **run** with [my dog](https://example.com/dog).")
    (post,) = search_posts("run", viewer=AnonymousUser(), offset=0, limit=20)
    assert "I went for a <mark>run</mark> with my dog." in post.snippet
    assert "**" not in post.snippet and "](" not in post.snippet and "##" not in post.snippet


@pytest.mark.django_db
def test_the_moderation_queue_shows_posts_and_comments_as_text(moderator_client):
    ReportFactory(post__title="", post__body="Buy **cheap** [pills](https://spam.example)")
    comment = CommentFactory(body="*Really* `cheap`")
    ReportFactory(kind=Kind.COMMENT, post=None, comment=comment)
    content = moderator_client.get("/moderate/reports/").content.decode()
    assert "Buy cheap pills" in content and "Really cheap" in content
    assert "**" not in content and "https://spam.example" not in content


@pytest.mark.django_db
def test_a_long_post_is_named_by_its_first_words():
    post = PostFactory(title="", body="**Bold** start " + "word " * 5000)
    name = str(post)
    assert name.startswith("Bold start word word") and name.endswith("…") and len(name) == 60
