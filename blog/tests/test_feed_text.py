"""Feed titles and descriptions are text: markup typed by users reaches readers escaped, never as HTML."""

import xml.etree.ElementTree as ET

import pytest

from blog.tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
MARKUP = '<b onmouseover="x()">Big</b> & co'
ESCAPED = "&lt;b onmouseover=&quot;x()&quot;&gt;Big&lt;/b&gt; &amp; co"


@pytest.fixture
def post():
    post = PostFactory(title=MARKUP, body="A body.")
    CommentFactory(post=post, body="Nice.")
    return post


def test_rss_channel_title_and_description_are_escaped_text(client, post):
    channel = ET.fromstring(client.get(f"/post/{post.pk}/comments.rss").content).find("channel")
    assert channel.findtext("title") == f"Flasky: comments on “{ESCAPED}”"
    assert channel.findtext("description") == f"The newest comments on “{ESCAPED}”."
    assert ESCAPED in channel.find("item").findtext("title")


def test_rss_item_titles_are_escaped_text(client, post):
    channel = ET.fromstring(client.get("/feeds/posts.rss").content).find("channel")
    assert channel.find("item").findtext("title") == ESCAPED


def test_rss_item_descriptions_stay_the_posts_sanitised_html(client, post):
    channel = ET.fromstring(client.get("/feeds/posts.rss").content).find("channel")
    assert channel.find("item").findtext("description") == "<p>A body.</p>"


def test_atom_titles_are_declared_text(client, post):
    feed = ET.fromstring(client.get(f"/post/{post.pk}/comments.atom").content)
    title, subtitle = feed.find(f"{ATOM}title"), feed.find(f"{ATOM}subtitle")
    assert (title.get("type"), title.text) == ("text", f"Flasky: comments on “{MARKUP}”")
    assert subtitle.get("type") == "text"
    assert feed.find(f"{ATOM}entry/{ATOM}title").get("type") == "text"
