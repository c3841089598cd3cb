"""`fakedata` writes believable posts: one language per author, tags and mentions with their rows, comments
that answer the post, replies, likes, bookmarks and pictures."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction

from accounts.models import User
from blog import fake as blog_fake
from blog.fake import topic_of
from blog.fake_topics import TOPICS
from blog.markdown import COMMENT_TAGS, find_tags, render_markdown
from blog.models import Bookmark, Comment, Like, Mention, Post, PostPicture, PostTag
from blog.search import indexing_new_posts_at_the_end, search_posts
from blog.tests.factories import PostFactory
from social.models import Follow
from talks import fake as talks_fake

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    call_command("fakedata", "--users", "30", "--posts", "200", "--comments", "400", "--seed", "5")


def test_each_author_writes_in_one_language(site):
    languages = {}
    for author, language in Post.objects.values_list("author__pk", "language"):
        languages.setdefault(author, set()).add(language)
    assert all(len(found) == 1 for found in languages.values())
    posts = Post.objects.values_list("author__language", "language")
    assert all(language == ("es" if preference == "es" else "en") for preference, language in posts)
    assert 0 < Post.objects.filter(language="es").count() < Post.objects.filter(language="en").count()


def test_comments_are_written_in_their_authors_language(site):
    for comment in Comment.objects.select_related("author", "post"):
        assert comment.post.language == ("es" if comment.author.language == "es" else "en")


def test_posts_store_the_html_and_tags_publishing_would(site):
    posts = Post.objects.prefetch_related("post_tags__tag")[:60]
    for post in posts:
        assert post.body_html == render_markdown(post.body)
        assert sorted(tag.tag.name for tag in post.post_tags.all()) == sorted(find_tags(post.body))
    assert PostTag.objects.count() >= Post.objects.count()


def test_mentions_have_their_rows(site):
    mentions = Mention.objects.select_related("user", "comment", "post")
    assert mentions.exists()
    for mention in mentions:
        text = mention.comment.body if mention.comment_id else mention.post.body
        assert f"@{mention.user.username}" in text


def test_comments_answer_the_post_or_reply_to_a_comment(site):
    comments = list(Comment.objects.select_related("post", "in_reply_to__author"))
    replies = [comment for comment in comments if comment.in_reply_to_id]
    assert 0.2 < len(replies) / len(comments) < 0.4
    for reply in replies:
        assert reply.post_id == reply.in_reply_to.post_id and reply.created >= reply.in_reply_to.created
        assert reply.body.startswith(f"@{reply.in_reply_to.author.username} ")
    answers = [comment for comment in comments if not comment.in_reply_to_id]
    naming = [
        c for c in answers if topic_of(c.post.title, None).names[c.post.language].lower() in c.body.lower()
    ]
    assert len(naming) > len(answers) / 2
    for comment in comments[:100]:
        assert comment.body_html == render_markdown(comment.body, allowed=COMMENT_TAGS)


def test_titles_name_the_topic_of_the_body(site):
    for title, body, language in Post.objects.values_list("title", "body", "language"):
        names = [
            topic.names[language].lower()
            for topic in TOPICS
            if topic.names[language].lower() in title.lower()
        ]
        assert len(names) == 1 and names[0] in body.lower()


def test_users_follow_others_by_default(site):
    assert Follow.objects.count() == 30 * 10


def test_likes_and_bookmarks():
    call_command(
        "fakedata",
        "--users",
        "10",
        "--posts",
        "40",
        "--comments",
        "40",
        "--likes",
        "100",
        "--bookmarks",
        "30",
        "--seed",
        "2",
    )
    assert (
        Like.objects.filter(post__isnull=False).exists()
        and Like.objects.filter(comment__isnull=False).exists()
    )
    assert 20 <= Bookmark.objects.count() <= 30
    for like in Like.objects.select_related("post", "comment"):
        assert like.created >= (like.post or like.comment).created


def test_pictures_are_drawn_stored_and_described():
    call_command("fakedata", "--users", "3", "--posts", "10", "--pictures", "2", "--seed", "4")
    pictures = list(PostPicture.objects.select_related("post"))
    assert len(pictures) == 2 and len({picture.post_id for picture in pictures}) == 2
    for picture in pictures:
        assert default_storage.exists(picture.image) and default_storage.exists(picture.thumbnail)
        assert picture.image.endswith(".webp") and picture.width == 960 and picture.height == 540
        assert len(picture.alt) > 30
        assert picture.alt.startswith("A gradient" if picture.post.language == "en" else "Un degradado")


def test_seed_demo_gives_the_demo_accounts_a_followed_timeline_and_pictures():
    call_command("seed_demo")
    for username in ("alice", "bob"):
        user = User.objects.get(username=username)
        assert Post.objects.followed_by(user).exclude(author=user).count() >= 10
    assert PostPicture.objects.count() == 6
    assert Like.objects.exists() and Bookmark.objects.exists()


def _search_index():
    """Every word of the SQLite search index: (post's title, column, position, stem), whatever the ids."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE VIRTUAL TABLE temp.indexed USING fts5vocab(main, blog_post_fts, 'instance')")
        try:
            cursor.execute(
                "SELECT p.title, p.body, v.col, v.offset, v.term FROM temp.indexed v "
                "JOIN blog_post p ON p.id = v.doc"
            )
            return sorted(cursor.fetchall())
        finally:
            cursor.execute("DROP TABLE temp.indexed")


def test_bulk_indexing_writes_what_the_trigger_would(monkeypatch):
    """fakedata indexes its posts in one statement at the end of each batch, with the insert trigger
    dropped meanwhile (blog.search.indexing_new_posts_at_the_end): the index must hold the same stems, at
    the same positions, as when the trigger indexes each post; and the trigger must be back after."""
    if connection.vendor != "sqlite":
        pytest.skip("the trigger and FTS5 are SQLite's")
    call_command("fakedata", "--users", "20", "--seed", "3")
    call_command("fakedata", "--posts", "300", "--talks", "20", "--seed", "3")
    bulk = _search_index()
    Post.objects.all().delete()  # the delete trigger empties the index
    assert _search_index() == []
    # The same posts again (same seed), each indexed by the trigger as it is inserted.
    monkeypatch.setattr(blog_fake, "indexing_new_posts_at_the_end", transaction.atomic)
    monkeypatch.setattr(talks_fake, "indexing_new_posts_at_the_end", transaction.atomic)
    call_command("fakedata", "--posts", "300", "--talks", "20", "--seed", "3")
    by_trigger = _search_index()
    assert len(bulk) > 300 * 50 and bulk == by_trigger
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'blog_post_fts_%'"
        )
        assert sorted(name for (name,) in cursor.fetchall()) == [
            "blog_post_fts_delete",
            "blog_post_fts_insert",
            "blog_post_fts_update",
        ]


def test_fake_posts_are_found_by_search_and_later_posts_by_the_trigger():
    call_command("fakedata", "--users", "5", "--posts", "50", "--seed", "8")
    post = Post.objects.order_by("pk").last()
    word = post.title.split()[-1]
    assert post in search_posts(word, viewer=AnonymousUser(), offset=0, limit=100)
    later = PostFactory(title="Zyzzyvas everywhere", body="Nothing else.")
    assert [found.pk for found in search_posts("zyzzyvas", viewer=AnonymousUser(), offset=0, limit=10)] == [
        later.pk
    ]


def test_a_failed_batch_leaves_the_trigger_in_place():
    call_command("fakedata", "--users", "3", "--seed", "1")
    with pytest.raises(RuntimeError), indexing_new_posts_at_the_end():
        raise RuntimeError("the batch failed")
    later = PostFactory(title="Quokkas and more", body="Nothing else.")
    assert [found.pk for found in search_posts("quokkas", viewer=AnonymousUser(), offset=0, limit=10)] == [
        later.pk
    ]
