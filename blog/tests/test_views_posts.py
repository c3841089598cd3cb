"""The home timelines, writing with preview, editing and deleting (the profile page is the talks app's)."""

import re

import pytest

from accounts import roles
from accounts.models import Role
from accounts.tests.factories import UserFactory
from blog.models import Post
from blog.tests.factories import CommentFactory, PostFactory
from blog.tests.test_composed import same_list
from social.tests.factories import FollowFactory

# A CSRF token as a page holds it (each response masks the reader's secret anew).
_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def without_tokens(response):
    """The page's HTML with its CSRF tokens blanked out: two draws of a page for one reader compare equal."""
    return _TOKEN.sub("TOKEN", response.content.decode())


pytestmark = pytest.mark.django_db


# --- the home page ----------------------------------------------------------------------------------------


def test_home_greets_strangers_and_shows_no_form(client):
    response = client.get("/")
    assert "Hello, Stranger!" in response.content.decode()
    assert response.context["form"] is None


def test_home_greets_users_and_offers_the_post_form(reader_client):
    content = reader_client.get("/").content.decode()
    assert "Hello, reader!" in content and "What&#x27;s on your mind?" in content


def test_home_lists_posts_newest_first_20_a_page(client):
    posts = PostFactory.create_batch(21)
    first = client.get("/")
    assert list(first.context["page"]) == posts[::-1][:20]
    assert list(client.get("/?page=2").context["page"]) == [posts[0]]
    assert 'href="?page=2"' in first.content.decode()


def test_each_post_shows_author_time_body_and_links(client):
    post = PostFactory(body="Hello *world*", author=UserFactory(username="susan"))
    CommentFactory.create_batch(2, post=post)
    content = client.get("/").content.decode()
    assert 'href="/user/susan/"' in content and "<em>world</em>" in content
    assert "<time datetime=" in content
    assert f'href="/post/{post.pk}/"' in content and "2 Comments" in content


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999"])
def test_home_answers_bad_page_numbers_with_404(client, page):
    PostFactory()
    assert client.get(f"/?page={page}").status_code == 404


def test_writing_a_post(reader_client, reader):
    response = reader_client.post("/", {"title": "", "body": "My *first* post", "submit": ""}, follow=True)
    post = Post.objects.get()
    assert (post.author, post.body_html) == (reader, "<p>My <em>first</em> post</p>")
    assert "Your post has been published." in response.content.decode()


def test_an_empty_post_is_refused(reader_client):
    response = reader_client.post("/", {"body": "   ", "submit": ""})
    assert response.status_code == 400
    assert not Post.objects.exists()


def test_a_too_long_post_is_refused(reader_client):
    response = reader_client.post("/", {"body": "x" * 50_001, "submit": ""})
    assert response.status_code == 400
    assert not Post.objects.exists()


def test_preview_button_renders_without_saving(reader_client):
    response = reader_client.post("/", {"body": "Some **bold** idea", "preview": "1"})
    assert "<strong>bold</strong>" in response.context["preview"]
    assert not Post.objects.exists()


def test_strangers_posting_are_sent_to_log_in(client):
    response = client.post("/", {"body": "spam"})
    assert response.status_code == 302 and response["Location"].startswith("/auth/login/")
    assert not Post.objects.exists()


def test_users_without_write_permission_get_403(login, monkeypatch):
    monkeypatch.setitem(roles.ROLE_PERMISSIONS, Role.USER, [roles.FOLLOW, roles.COMMENT])
    response = login(UserFactory()).post("/", {"body": "hello"})
    assert response.status_code == 403
    assert not Post.objects.exists()


def test_live_preview_renders_with_the_same_pipeline(reader_client):
    response = reader_client.post("/post/preview/", {"body": "*hi* <script>x</script>"})
    assert response.json() == {"html": "<p><em>hi</em> &lt;script&gt;x&lt;/script&gt;</p>"}


def test_live_preview_refuses_get_strangers_and_huge_texts(client, reader_client):
    assert reader_client.get("/post/preview/").status_code == 405
    assert client.post("/post/preview/", {"body": "x"}).status_code == 302
    assert reader_client.post("/post/preview/", {"body": "x" * 50_001}).status_code == 400


# --- the All / Followed tabs ------------------------------------------------------------------------------


def test_followed_tab_shows_followed_authors_and_own_posts(reader_client, reader):
    followed = UserFactory()
    FollowFactory(follower=reader, followed=followed)
    mine, theirs, other = PostFactory(author=reader), PostFactory(author=followed), PostFactory()
    response = reader_client.post("/timeline/", {"show": "followed"})
    assert response["Location"] == "/"
    cookie = response.cookies["show_followed"]
    assert cookie.value == "1" and int(cookie["max-age"]) == 30 * 24 * 60 * 60
    assert set(reader_client.get("/").context["page"]) == {mine, theirs}
    reader_client.post("/timeline/", {"show": "all"})
    assert other in reader_client.get("/").context["page"]


def test_timeline_switch_refuses_get_and_strangers(client, reader_client):
    assert reader_client.get("/timeline/").status_code == 405
    assert client.post("/timeline/", {"show": "followed"}).status_code == 302
    assert "show_followed" not in client.cookies


def test_strangers_always_see_all_posts(client):
    post = PostFactory()
    client.cookies["show_followed"] = "1"
    assert list(client.get("/").context["page"]) == [post]


@pytest.mark.parametrize("tab", ["all", "followed"])
@pytest.mark.parametrize("rows", [1, 20])
def test_home_query_count_is_fixed(
    login, reader, tab, rows, compose_lists_afresh, draw_pages_afresh, django_assert_num_queries
):
    for _ in range(rows):
        post = PostFactory(author=FollowFactory(follower=reader).followed)
        CommentFactory(post=post)
    client = login(reader)
    client.post("/timeline/", {"show": tab})
    client.get("/")
    # the page's keys, the page's posts with authors, talk details and comment counts, the navbar's count
    # of comments waiting for the user's approval (talks.context_processors), the user's likes and
    # bookmarks among the page's posts (one query); permissions come from the role, no query; the Followed
    # tab asks once whether the user follows tags (blog.models.PostQuerySet.followed_by); the session's user
    # is its copy kept in the cache since the first request (accounts.backends), no query
    # (the pictures of the page's posts: one more query only when some post has any, none here:
    # blog.listing.listed_posts)
    # (the sidebar's who to follow, tags and talks coming up come from the cache, filled by the first
    # request: blog.suggestions, blog.services.followed_tag_names, talks.upcoming)
    compose_lists_afresh()  # the list composed afresh (blog.composed), the page drawn by the view
    with django_assert_num_queries(4 if tab == "followed" else 3):
        drawn = client.get("/")
    # the same list again, kept for readers of its kind: its rows are not read (blog.composed)
    draw_pages_afresh()
    with django_assert_num_queries(3 if tab == "followed" else 2):
        kept = client.get("/")
    assert same_list(kept, drawn)
    # the whole page kept for readers of its kind: the reader's likes and bookmarks, nothing else
    # (flasky_project.shells)
    with django_assert_num_queries(1):
        shell = client.get("/")
    assert without_tokens(shell) == without_tokens(drawn)
    # the likes and bookmarks are kept for the reader (flasky_project.shells.Memo): no query at all
    with django_assert_num_queries(0):
        again = client.get("/")
    assert without_tokens(again) == without_tokens(drawn)


@pytest.mark.parametrize("rows", [1, 20])
def test_home_query_count_for_strangers_is_fixed(client, rows, settings, django_assert_num_queries):
    PostFactory.create_batch(rows)
    # The page rendered, not served whole by the page cache (flasky_project/tests/test_page_cache.py)
    settings.FLASKY_PAGE_CACHE_SECONDS = 0
    client.get("/")  # the sidebar's talks coming up are cached for a minute (talks.upcoming)
    # the page's keys, then its posts with authors, talk details and comment counts
    # (the pictures of the page's posts: one more query only when some post has any, none here:
    # blog.listing.listed_posts)
    with django_assert_num_queries(2):
        client.get("/")


def test_home_never_counts_all_posts(client, django_assert_num_queries):
    PostFactory.create_batch(3)
    # the page's keys, its posts (no pictures: no query for them, blog.listing.listed_posts)
    # (+1: the sidebar's talks coming up, cached for a minute but not yet: talks.upcoming)
    with django_assert_num_queries(3) as captured:
        client.get("/")
    assert not any(
        "COUNT(" in query["sql"].upper() and "blog_comment" not in query["sql"]
        for query in captured.captured_queries
    )


# --- editing and deleting ---------------------------------------------------------------------------------


def test_author_edits_a_post(author_client, author):
    post = PostFactory(author=author, body="old")
    assert "Edit Post" in author_client.get(f"/post/{post.pk}/edit/").content.decode()
    response = author_client.post(
        f"/post/{post.pk}/edit/", {"body": "updated body", "title": "T"}, follow=True
    )
    post.refresh_from_db()
    assert (post.body_html, post.title) == ("<p>updated body</p>", "T")
    assert "The post has been updated." in response.content.decode()
    assert response.redirect_chain[-1][0] == f"/post/{post.pk}/"


def test_administrator_edits_anyones_post_and_sees_admin_labels(administrator_client, author):
    post = PostFactory(author=author)
    assert "Edit [Admin]" in administrator_client.get("/").content.decode()
    administrator_client.post(f"/post/{post.pk}/edit/", {"body": "moderated"})
    post.refresh_from_db()
    assert post.body == "moderated"


def test_others_may_not_edit(reader_client, moderator_client, author):
    post = PostFactory(author=author, body="original")
    assert reader_client.get(f"/post/{post.pk}/edit/").status_code == 403
    assert moderator_client.post(f"/post/{post.pk}/edit/", {"body": "hacked"}).status_code == 403
    post.refresh_from_db()
    assert post.body == "original"


def test_edit_unknown_post_is_404_and_strangers_log_in(client, author_client):
    assert author_client.get("/post/999999/edit/").status_code == 404
    assert client.get(f"/post/{PostFactory().pk}/edit/").status_code == 302


def test_edit_refuses_an_empty_body(author_client, author):
    post = PostFactory(author=author, body="keep")
    assert author_client.post(f"/post/{post.pk}/edit/", {"body": ""}).status_code == 400
    post.refresh_from_db()
    assert post.body == "keep"


def test_flaskys_edit_address_redirects(author_client, author):
    post = PostFactory(author=author)
    assert author_client.get(f"/edit/{post.pk}/")["Location"] == f"/post/{post.pk}/edit/"


def test_delete_asks_first_then_deletes(author_client, author):
    post = PostFactory(author=author)
    assert "Are you sure" in author_client.get(f"/post/{post.pk}/delete/").content.decode()
    assert Post.objects.filter(pk=post.pk).exists()
    response = author_client.post(f"/post/{post.pk}/delete/", follow=True)
    assert not Post.objects.filter(pk=post.pk).exists()
    assert "Your post has been deleted." in response.content.decode()


def test_only_authors_and_administrators_delete(reader_client, administrator_client, author):
    post = PostFactory(author=author)
    assert reader_client.post(f"/post/{post.pk}/delete/").status_code == 403
    assert Post.objects.filter(pk=post.pk).exists()
    response = administrator_client.post(f"/post/{post.pk}/delete/", follow=True)
    assert not Post.objects.filter(pk=post.pk).exists()
    assert "The post by author has been deleted." in response.content.decode()


def test_deleting_needs_a_login_and_an_existing_post(client, author_client):
    post = PostFactory()
    response = client.post(f"/post/{post.pk}/delete/")
    assert response.status_code == 302 and response["Location"].startswith("/auth/login/")
    assert Post.objects.filter(pk=post.pk).exists()
    assert author_client.post("/post/999999/delete/").status_code == 404
