"""Tags: "#word" in a post links to the tag's page, which lists its posts and a feed; people follow tags."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from blog import services
from blog.markdown import find_tags, render_markdown
from blog.models import FollowedTag, Post, PostTag, Tag
from social.tests.factories import FollowFactory

pytestmark = pytest.mark.django_db

LINK = '<a href="/tags/{}/" rel="nofollow ugc noopener">#{}</a>'


# --- Markdown -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "names"),
    [
        ("I like #django", ["django"]),
        ("#Python opens the line", ["python"]),
        ("Mixed #Django and #DJANGO are one", ["django"]),
        ("Any language: #café #日本語 #привет", ["café", "日本語", "привет"]),
        ("Underscores and digits: #web_dev2", ["web_dev2"]),
        ("End of sentence #rust.", ["rust"]),
        ("(#go)", ["go"]),
        ("**#bold** _#em_", ["bold", "em"]),
    ],
    ids=["plain", "line-start", "case", "languages", "underscore", "punctuation", "parens", "emphasis"],
)
def test_tags_are_found(source, names):
    assert find_tags(source) == names


@pytest.mark.parametrize(
    "source",
    [
        "# A heading",
        "## Another heading",
        "`#code` span",
        "```\n#fenced\n```",
        "    #indented code",
        "[#linktext](https://example.com)",
        "https://example.com/page#fragment",
        "[a link](https://example.com/page#fragment)",
        "Issue #123",
        "C# and F#",
        "mail me at a#b",
        "##double",
        "\\#escaped",
        "#" + "x" * 65,
        "#",
        "# ",
    ],
    ids=[
        "heading",
        "heading2",
        "code-span",
        "fenced",
        "indented",
        "link-text",
        "bare-url-fragment",
        "link-fragment",
        "number",
        "csharp",
        "inside-word",
        "double-hash",
        "escaped",
        "too-long",
        "bare-hash",
        "empty-heading",
    ],
)
def test_what_is_not_a_tag(source):
    assert find_tags(source) == []
    assert "/tags/" not in render_markdown(source)


def test_a_tag_becomes_a_link_to_its_page():
    assert render_markdown("Hi #Django fans") == f"<p>Hi {LINK.format('django', 'Django')} fans</p>"


def test_a_heading_still_is_one_and_may_hold_a_tag():
    assert render_markdown("# Notes on #rust") == f"<h2>Notes on {LINK.format('rust', 'rust')}</h2>"


def test_tags_link_in_comments_too():
    from blog.markdown import COMMENT_TAGS

    assert LINK.format("go", "go") in render_markdown("about #go", allowed=COMMENT_TAGS)


def test_a_64_character_tag_is_one():
    name = "a" * 64
    assert find_tags(f"#{name}") == [name]


def test_non_ascii_tag_links_are_escaped_addresses():
    assert 'href="/tags/caf%C3%A9/"' in render_markdown("#café")


# --- saving ---------------------------------------------------------------------------------------------


def test_publishing_stores_the_tags(author):
    post = services.publish_post(author=author, body="On #Django and #python, #django again")
    assert sorted(post.post_tags.values_list("tag__name", flat=True)) == ["django", "python"]
    assert set(PostTag.objects.values_list("created", flat=True)) == {post.created}


def test_editing_adds_and_drops_tags(author):
    post = services.publish_post(author=author, body="#one #two")
    services.edit_post(post, body="#two #three")
    assert sorted(post.post_tags.values_list("tag__name", flat=True)) == ["three", "two"]
    assert Tag.objects.filter(name="one").exists()  # the tag stays; only the post leaves it


def test_editing_a_post_date_moves_its_tag_rows(author):
    post = services.publish_post(author=author, body="#dated")
    post.created = post.created.replace(year=2001)
    post.save()
    assert PostTag.objects.get(post=post).created == post.created


def test_a_post_keeps_at_most_30_tags(author):
    post = services.publish_post(author=author, body=" ".join(f"#t{i}" for i in range(40)))
    assert post.post_tags.count() == services.MAX_TAGS_PER_POST


def test_deleting_a_post_removes_its_tag_rows(author):
    post = services.publish_post(author=author, body="#gone")
    services.delete_post(post)
    assert not PostTag.objects.exists()


# --- the tag's page -------------------------------------------------------------------------------------


def _tagged(n, name="django", **kwargs):
    author = kwargs.pop("author", None) or UserFactory()
    return [services.publish_post(author=author, body=f"post {i} #{name}") for i in range(n)]


def test_tag_page_lists_its_posts_newest_first_20_a_page(client):
    posts = _tagged(21)
    services.publish_post(author=UserFactory(), body="untagged")
    first = client.get("/tags/django/")
    assert first.status_code == 200
    assert list(first.context["page"]) == posts[::-1][:20]
    assert list(client.get("/tags/django/?page=2").context["page"]) == [posts[0]]
    content = first.content.decode()
    assert "#django" in content and 'href="/tags/django/posts.rss"' in content


def test_tag_page_of_a_word_no_post_has_is_empty(client):
    response = client.get("/tags/nothing/")
    assert response.status_code == 200 and "No posts with #nothing yet." in response.content.decode()


@pytest.mark.parametrize("name", ["123", "not-a-word", "a%20b", "x" * 65, "%E2%9C%A8"], ids=str)
def test_tag_names_that_are_not_words_are_404(client, name):
    assert client.get(f"/tags/{name}/").status_code == 404
    assert client.get(f"/tags/{name}/posts.rss").status_code == 404


def test_tag_page_address_is_lower_case(client):
    response = client.get("/tags/Django/")
    assert response.status_code == 301 and response["Location"] == "/tags/django/"


def test_tag_page_query_count_is_fixed(client, settings, django_assert_max_num_queries):
    settings.FLASKY_PAGE_CACHE_SECONDS = (
        0  # rendered, not served whole (flasky_project/tests/test_page_cache.py)
    )
    _tagged(25)
    # a visit minutes ago left the list's total in the cache (pagination.list_total)
    client.get("/tags/django/")
    # the keys, the rows, the session: nothing per post
    with django_assert_max_num_queries(4):
        assert len(client.get("/tags/django/").context["page"]) == 20


def test_tag_feed_lists_its_posts(client):
    posts = _tagged(2)
    response = client.get("/tags/django/posts.rss")
    content = response.content.decode()
    assert response.status_code == 200 and "posts tagged #django" in content
    assert content.index(f"/post/{posts[1].pk}/") < content.index(f"/post/{posts[0].pk}/")


# --- following a tag ------------------------------------------------------------------------------------


def test_following_a_tag(reader_client, reader):
    response = reader_client.post("/tags/Rust/follow/", {"action": "follow"})
    assert response.status_code == 302 and response["Location"] == "/tags/rust/"
    assert FollowedTag.objects.filter(user=reader, tag__name="rust").exists()
    assert "Unfollow tag" in reader_client.get("/tags/rust/").content.decode()
    reader_client.post("/tags/rust/follow/", {"action": "follow"})  # twice is harmless
    assert FollowedTag.objects.count() == 1


def test_unfollowing_a_tag(reader_client, reader):
    services.follow_tag(user=reader, name="rust")
    reader_client.post("/tags/rust/follow/", {"action": "unfollow"})
    assert not FollowedTag.objects.exists()


def test_following_needs_a_login_and_a_post(client, reader_client):
    assert client.post("/tags/rust/follow/").status_code == 302
    assert reader_client.get("/tags/rust/follow/").status_code == 405
    assert not FollowedTag.objects.exists()


def test_following_a_name_that_is_not_a_word_is_404(reader_client):
    assert reader_client.post("/tags/12/follow/").status_code == 404
    assert not Tag.objects.exists()


def test_followed_tags_posts_join_the_followed_timeline(reader):
    friend, stranger, other = UserFactory(), UserFactory(), UserFactory()
    FollowFactory(follower=reader, followed=friend)
    services.follow_tag(user=reader, name="rust")
    by_friend = services.publish_post(author=friend, body="#rust from a friend")  # both ways: once
    tagged = services.publish_post(author=stranger, body="a #Rust post")
    mine = services.publish_post(author=reader, body="mine")
    services.publish_post(author=other, body="#python only")
    timeline = list(Post.objects.followed_by(reader).newest_first())
    assert timeline == [mine, tagged, by_friend]


def test_followed_timeline_page_keeps_its_query_count(
    reader_client, reader, django_assert_max_num_queries, draw_pages_afresh
):
    services.follow_tag(user=reader, name="rust")
    friend = UserFactory()
    FollowFactory(follower=reader, followed=friend)
    _tagged(12, name="rust")
    _tagged(12, name="x", author=friend)
    reader_client.cookies["show_followed"] = "1"
    # the sidebar's cached parts (talks coming up, your tags, who to follow) and the list's total for the
    # pager (pagination.list_total), as a visit minutes ago left them in the cache
    reader_client.get("/")
    # as any Followed page (blog/tests/test_views_posts.py): the user, whether they follow tags, the keys,
    # the rows, their likes and bookmarks among them, the navbar's count
    # (+1: the pictures of the page's posts, one query: Post.objects.for_list)
    # (+1: the sidebar's who to follow, blog.suggestions)
    draw_pages_afresh()  # drawn, not kept whole (flasky_project.shells)
    with django_assert_max_num_queries(8):
        response = reader_client.get("/")
    assert len(response.context["page"]) == 20


def test_tag_page_sql_walks_the_tag_index():
    tag = Tag.objects.create(name="x")
    with CaptureQueriesContext(connection) as queries:
        list(Post.objects.tagged(tag).values_list("pk", flat=True)[:21])
    assert 'ORDER BY "blog_posttag"."created" DESC, "blog_posttag"."post_id" DESC' in queries[0]["sql"]


def test_only_the_newest_posts_of_followed_tags_join_the_timeline(reader, monkeypatch):
    monkeypatch.setattr("blog.models.FOLLOWED_TAG_POSTS", 2)
    services.follow_tag(user=reader, name="busy")
    posts = _tagged(3, name="busy")
    assert list(Post.objects.followed_by(reader).newest_first()) == posts[:0:-1]
