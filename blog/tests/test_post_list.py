"""The list of posts joined in Python (blog.cards.post_list) draws exactly what its template drew: the same
markup, whitespace aside, for every combination of the reader's flags, with and without ``next`` and a CSRF
token, in both languages, and with text that needs escaping."""

import itertools
import re
from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation

from blog import cards
from blog.models import Post
from blog.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).with_name("post_list_reference.html")
FLAGS = ("viewer_can_like", "viewer_liked", "viewer_can_bookmark", "viewer_bookmarked", "viewer_is_author")
FLAGS += ("viewer_can_edit", "viewer_can_translate")


def normalized(html):
    """``html`` with the whitespace between tags dropped and every other run of it one space."""
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html))).strip()


def posts_with_every_flag():
    """A post for each combination of the flags (and every fourth one folded behind a muted word)."""
    combinations = list(itertools.product((False, True), repeat=len(FLAGS)))
    PostFactory.create_batch(len(combinations), body="Plain <b>words</b> & more")
    posts = list(Post.objects.for_list().order_by("pk"))
    for number, (post, values) in enumerate(zip(posts, combinations, strict=True)):
        for name, value in zip(FLAGS, values, strict=True):
            setattr(post, name, value)
        post.muted_word = "words" if number % 4 == 0 else ""
    return posts


# Django's {% csrf_token %} in the reference template writes nothing for "NOTPROVIDED" with format_html(""),
# which Django 5.2 itself deprecates (RemovedInDjango60Warning): its own doing, not the list's.
@pytest.mark.filterwarnings("ignore:Calling format_html\\(\\) without passing args")
@pytest.mark.parametrize("language", ["en", "es"], ids=["en", "es"])
@pytest.mark.parametrize(
    ("next_url", "csrf_token"),
    [("/?page=2&x=\"'<>", "t0ken"), ("", "t0ken"), ("/", ""), ("", "NOTPROVIDED")],
    ids=["next-token", "token-only", "next-only", "not-provided"],
)
def test_the_list_draws_what_its_template_drew(language, next_url, csrf_token):
    posts = posts_with_every_flag()
    reference = engines["django"].from_string(REFERENCE.read_text())
    context = {"posts": posts, "next": next_url, "csrf_token": csrf_token}
    with translation.override(language):
        drawn = engines["django"].get_template("blog/_posts.html").render(context)
        expected = reference.render(context)
    assert normalized(drawn) == normalized(expected)
    assert drawn.count('data-toggle-form="liked"') == sum(post.viewer_can_like for post in posts)


def test_the_list_of_no_posts_is_an_empty_list():
    assert normalized(cards.post_list([])) == '<ul class="post-list"></ul>'
