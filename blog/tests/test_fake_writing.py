"""The fake posts and comments of blog.fake_writing: distinct, about what their title says, in one language,
and stored with the HTML blog.markdown renders for them."""

import random
import re

import pytest

from accounts.tests.factories import UserFactory
from blog.fake_topics import TOPICS
from blog.fake_writing import PostWriter
from blog.language import detect_language
from blog.markdown import COMMENT_TAGS, find_mentions, find_tags, render_markdown


@pytest.fixture(scope="module")
def writer():
    """One writer for the module: its pieces are rendered once (as in one fakedata run)."""
    return PostWriter(random.Random(16))


def test_ten_thousand_posts_have_distinct_bodies():
    writer = PostWriter(random.Random(42))
    bodies = {writer.write(random.Random(index).choice(["en", "es"])).body for index in range(10_000)}
    assert len(bodies) == 10_000


def test_the_same_seed_writes_the_same_posts():
    first, second = PostWriter(random.Random(7)), PostWriter(random.Random(7))
    assert [first.write("en").body for _ in range(20)] == [second.write("en").body for _ in range(20)]


@pytest.mark.parametrize("language", ["en", "es"])
def test_title_names_the_topic_the_body_is_about(writer, language):
    for _ in range(300):
        draft = writer.write(language)
        name = draft.topic.names[language].lower()
        assert name in draft.title.lower()
        assert name in draft.body.lower()
        # ...and no other topic is named in the title.
        others = [topic for topic in TOPICS if topic.names[language].lower() in draft.title.lower()]
        assert others == [draft.topic]


@pytest.mark.parametrize("language", ["en", "es"])
def test_posts_are_written_in_one_language(writer, language):
    """The site's own detector (blog.language) reads each post, without its code, as in its language."""
    for _ in range(40):
        draft = writer.write(language)
        prose = re.sub(r"```.*?```|`[^`]*`|\[[^\]]*\]\([^)]*\)|> — .*", "", draft.body, flags=re.DOTALL)
        assert draft.language == language
        assert detect_language(f"{draft.title}\n{prose}") == language, prose


def test_posts_use_headings_lists_quotes_code_and_links(writer):
    bodies = [writer.write("en").body for _ in range(200)]
    assert all(body.count("\n\n") >= 2 for body in bodies)
    assert sum("\n## " in body for body in bodies) > 100
    assert sum(bool(re.search(r"^(?:- |1\. )", body, re.MULTILINE)) for body in bodies) > 100
    assert sum("\n> " in body for body in bodies) > 40
    assert sum("](https://" in body for body in bodies) > 80
    fences = re.findall(r"^```(\w*)$", "\n".join(bodies), re.MULTILINE)
    languages = fences[0::2]
    assert len(languages) > 80 and all(languages)  # every code block names its language
    assert {"python", "sql", "bash"} <= set(languages)


@pytest.mark.django_db
def test_assembled_html_is_what_markdown_renders(writer):
    """Posts are assembled from pieces rendered once: the result must be what rendering the body gives."""
    helper = UserFactory(username="ann.lee")
    for index in range(150):
        draft = writer.write(["en", "es"][index % 2], thanks="ann.lee" if index % 3 == 0 else None)
        assert draft.html == render_markdown(draft.body)
        assert list(draft.tags) == find_tags(draft.body)
        assert find_mentions(draft.body) == ([helper] if draft.mentions else [])


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
def test_comments_answer_the_post_and_replies_mention_whom_they_answer(writer, language):
    UserFactory(username="bob")
    for topic in TOPICS:
        comment = writer.comment(language, topic)
        reply = writer.comment(language, topic, reply_to="bob")
        assert comment.html == render_markdown(comment.body, allowed=COMMENT_TAGS)
        assert reply.html == render_markdown(reply.body, allowed=COMMENT_TAGS)
        assert reply.body.startswith("@bob ") and '<a href="/user/bob/"' in reply.html
    answers = [writer.comment(language, TOPICS[0]).body.lower() for _ in range(100)]
    assert sum(TOPICS[0].names[language].lower() in answer for answer in answers) > 50


@pytest.mark.parametrize("language", ["en", "es"])
def test_talk_abstracts_list_what_you_will_learn(writer, language):
    abstract = writer.abstract(language, TOPICS[1])
    assert abstract.html == render_markdown(abstract.body)
    assert TOPICS[1].names[language].lower() in abstract.body.lower() and "<ul>" in abstract.html
