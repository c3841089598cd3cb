"""The search results from the cache (blog.cards.search_results): the markup the search page's loop drew,
each change to a result shown on the next request, and one fragment for every reader (the time a UTC moment
that the browser words in the reader's zone)."""

import datetime
import re
from unittest import mock

import pytest
from django.template import engines
from django.utils import translation

from blog import cards, services
from blog.search import search_posts
from blog.tests.factories import CommentFactory, PostFactory
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db

# The loop the search page had before its results came from the cache.
REFERENCE = """{% load i18n flasky %}{% for post in posts %}
        <li class="post d-flex gap-3" id="post-{{ post.pk }}">
          <a class="flex-shrink-0" href="{{ post.author.get_absolute_url }}">{% avatar post.author 40 %}</a>
          <article class="flex-grow-1 min-w-0">
            <div class="d-flex justify-content-between gap-2 small">
              <a class="fw-semibold" href="{{ post.author.get_absolute_url }}">{{ post.author.username }}</a>
              <span class="text-body-secondary">{% moment post.created %}</span>
            </div>
            <h3 class="h5 mt-1 mb-1"><a class="link-body-emphasis text-decoration-none" href="{{ post.get_absolute_url }}">{% if post.title %}{{ post.title_html }}{% else %}{% translate "Post" %} #{{ post.pk }}{% endif %}</a></h3>
            {% if post.is_talk %}{% include "talks/_post_talk.html" with talk=post.talk only %}{% endif %}
            <p class="search-snippet mb-1">{{ post.snippet }}</p>
            <a class="small" href="{{ post.get_absolute_url }}#comments">{% blocktranslate count counter=post.comment_count %}{{ counter }} Comment{% plural %}{{ counter }} Comments{% endblocktranslate %}</a>
          </article>
        </li>
      {% endfor %}"""  # noqa: E501


def normalized(html):
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html))).strip()


def result(content, post):
    match = re.search(rf'<li class="post [^"]*" id="post-{post.pk}">(.*?)</li>', content, re.S)
    return match and match.group(1)


@pytest.mark.parametrize("language", ["en", "es"], ids=["en", "es"])
def test_the_results_draw_what_the_loop_drew(author, reader, language):
    PostFactory(author=author, title="Zebra <crossing>", body="A zebra & a *lion*.")
    PostFactory(author=author, title="", body="Another zebra.")
    TalkFactory(post__author=author, post__title="Zebras on stage", post__body="zebra talk")
    with translation.override(language):
        posts = search_posts("zebra", viewer=reader, offset=0, limit=20)
        assert len(posts) == 3
        expected = engines["django"].from_string(REFERENCE).render({"posts": posts})
        drawn = (
            engines["django"]
            .from_string("{% load cards %}{% search_results posts %}")
            .render({"posts": posts})
        )
        again = (
            engines["django"]
            .from_string("{% load cards %}{% search_results posts %}")
            .render({"posts": posts})
        )
    assert normalized(drawn) == normalized(expected) == normalized(again)


def rename(world):
    world["author"].username = "renamed"
    world["author"].save()


def new_avatar(world):
    world["author"].avatar = "avatars/fresh-face.png"
    world["author"].save()


def edit(world):
    services.edit_post(world["post"], body="A zebra edited its stripes.")


CHANGES = {
    "rename": (rename, lambda html: ">renamed</a>" in html),
    "new-avatar": (new_avatar, lambda html: "avatars/fresh-face.png" in html),
    "edit": (edit, lambda html: "stripes" in html),
    "comment": (
        lambda world: CommentFactory(post=world["post"]),
        lambda html: "1 Comment" in html or "1 comentario" in html,
    ),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
@pytest.mark.parametrize("language", ["en", "es"], ids=["en", "es"])
def test_a_change_to_a_result_shows_on_the_next_request(login, author, reader, change, language):
    post = PostFactory(author=author, body="A zebra crossed the road.")
    client = login(reader)
    do, shows = CHANGES[change]

    def search():
        return result(
            client.get("/search/?q=zebra", headers={"accept-language": language}).content.decode(), post
        )

    before = search()
    assert before is not None and not shows(before)
    assert search() == before
    do({"post": post, "author": author})
    assert shows(search())


def test_a_result_is_rendered_once_for_readers_in_every_zone(login, author, reader):
    post = PostFactory(author=author, body="A zebra crossed the road.")
    reader.timezone = "Asia/Tokyo"
    reader.save()
    first = result(login(author).get("/search/?q=zebra").content.decode(), post)
    with mock.patch.object(cards, "get_template", wraps=cards.get_template) as rendered:
        second = result(login(reader).get("/search/?q=zebra").content.decode(), post)
    assert rendered.call_count == 0
    assert first == second
    # in UTC, which site.js writes in the reader's zone and words ("3 minutes ago")
    moment = post.created.astimezone(datetime.UTC).isoformat()
    assert f'<time datetime="{moment}" data-reltime>' in first and " UTC</time>" in first
