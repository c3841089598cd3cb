"""RSS and Atom feeds (valid XML, linked from the pages), and `fakedata --posts --comments`."""

import xml.etree.ElementTree as ElementTree

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from accounts.tests.factories import UserFactory
from blog.models import Comment, Post
from blog.tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_items(response):
    assert response["Content-Type"].startswith("application/rss+xml")
    return ElementTree.fromstring(response.content).findall("./channel/item")


def atom_entries(response):
    assert response["Content-Type"].startswith("application/atom+xml")
    return ElementTree.fromstring(response.content).findall(f"{ATOM}entry")


def test_latest_posts_feeds(client):
    PostFactory(title="Older")
    PostFactory(title="Newest", body="*hi* <script>x</script>")
    items = rss_items(client.get("/feeds/posts.rss"))
    assert [item.findtext("title") for item in items] == ["Newest", "Older"]
    assert "&lt;script&gt;" in items[0].findtext("description")
    assert items[0].findtext("link").startswith("http://testserver/post/")
    assert len(atom_entries(client.get("/feeds/posts.atom"))) == 2


def test_user_feeds_have_only_their_posts(client):
    susan = UserFactory(username="susan")
    PostFactory(author=susan, title="Mine")
    PostFactory(title="Someone else's")
    assert [item.findtext("title") for item in rss_items(client.get("/user/susan/posts.rss"))] == ["Mine"]
    assert len(atom_entries(client.get("/user/susan/posts.atom"))) == 1
    assert client.get("/user/nobody/posts.rss").status_code == 404


def test_comment_feeds_leave_out_disabled_and_pending_comments(client):
    post = PostFactory(title="Trip")
    CommentFactory(post=post, body="visible")
    CommentFactory(post=post, body="hidden", disabled=True)
    CommentFactory(post=post, author=None, guest_name="Guest", body="waiting", approved=False)
    items = rss_items(client.get(f"/post/{post.pk}/comments.rss"))
    assert [item.findtext("description") for item in items] == ["visible"]
    assert len(atom_entries(client.get(f"/post/{post.pk}/comments.atom"))) == 1
    assert client.get("/post/999999/comments.rss").status_code == 404


def test_pages_link_their_feeds(client):
    post = PostFactory(author=UserFactory(username="susan"))
    assert 'rel="alternate" type="application/rss+xml"' in client.get("/").content.decode()
    assert 'href="/user/susan/posts.atom"' in client.get("/user/susan/").content.decode()
    assert f'href="/post/{post.pk}/comments.rss"' in client.get(f"/post/{post.pk}/").content.decode()


def test_fakedata_posts_and_comments():
    call_command("fakedata", "--users", "10", "--posts", "300", "--comments", "500", "--seed", "7")
    assert Post.objects.count() == 300 and Comment.objects.count() == 500
    post = Post.objects.exclude(body="").first()
    assert post.body_html.startswith("<p>") and post.created <= post.updated
    for comment in Comment.objects.select_related("post")[:50]:
        assert comment.created >= comment.post.created


def test_fakedata_posts_need_users():
    with pytest.raises(CommandError, match="needs users before posts"):
        call_command("fakedata", "--posts", "5")


@pytest.mark.django_db(transaction=True)
def test_fakedata_outside_a_transaction_leaves_fresh_statistics():
    """As run by an operator (autocommit): VACUUM ANALYZE on PostgreSQL, which cannot run in a transaction."""
    call_command("fakedata", "--users", "3", "--posts", "30", "--seed", "2")
    assert Post.objects.count() == 30
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT last_vacuum IS NOT NULL, last_analyze IS NOT NULL, n_live_tup "
                "FROM pg_stat_user_tables WHERE relname = 'blog_post'"
            )
            assert cursor.fetchone() == (True, True, 30)


@pytest.mark.parametrize("rows", [1, 20])
def test_feeds_query_count_is_fixed(client, rows, django_assert_num_queries):
    author = UserFactory(username="susan")
    post = PostFactory(author=author)
    PostFactory.create_batch(rows, author=author)
    CommentFactory.create_batch(rows, post=post)
    with django_assert_num_queries(1):  # the newest posts with their authors
        client.get("/feeds/posts.rss")
    with django_assert_num_queries(2):  # the user, their newest posts
        client.get("/user/susan/posts.atom")
    with django_assert_num_queries(2):  # the post, its newest comments with their authors
        client.get(f"/post/{post.pk}/comments.rss")
