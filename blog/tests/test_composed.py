"""A page's list of posts composed once for readers of its kind (blog.composed): the list from the cache is
byte for byte what drawing it afresh gives the same reader, for every combination of what differs per
reader and per kind of reader; nothing of one reader reaches another; every change a reader could see
shows on the next request; and a hit skips the rows query."""

import itertools
import re

import pytest
from django.test import Client
from django.utils import translation

from accounts.tests.factories import AdministratorFactory, ModeratorFactory, UserFactory
from blog import cards, composed, listing, services
from blog.models import Post
from blog.tests.factories import PostFactory
from blog.tests.test_cards import CHANGES, card, likes_count
from flasky_project import pagecache
from social.tests.factories import FollowFactory

pytestmark = pytest.mark.django_db


def unmasked(html):
    """``html`` without its CSRF tokens' values (masked afresh on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', 'name="csrfmiddlewaretoken"', html)


def same_list(kept, drawn):
    """Whether two responses show the same list of posts, with posts in it (their CSRF tokens aside)."""
    kept, drawn = unmasked(kept.content.decode()), unmasked(drawn.content.decode())
    return post_list(kept) == post_list(drawn) and '<li class="post ' in post_list(kept)


def post_list(content):
    """The <ul> of a page's list of posts."""
    return re.search(r'<ul class="post-list">.*?\n</ul>', content, re.S).group(0)


@pytest.fixture
def reads(monkeypatch):
    """The pages whose rows were read (the cache's misses): one list of keys each."""
    read = []
    listed_posts = listing.listed_posts

    def counted(keys, viewer):
        read.append(list(keys))
        return listed_posts(keys, viewer)

    monkeypatch.setattr(listing, "listed_posts", counted)
    return read


# --- the composed list filled for another reader, against the list drawn for them ---------------------------


def reader_flags(posts, reader, liked, bookmarked):
    """``posts`` as blog.listing.decorate prepares them for ``reader``: the kind's flags are the same for
    every reader, the reader's (author, liked, bookmarked) their own."""
    for post in posts:
        post.viewer_is_author = post.author_id == reader.pk
        post.viewer_liked = post.pk in liked
        post.viewer_bookmarked = post.pk in bookmarked
        post.viewer_can_like = reader.kind["may_like"]
        post.viewer_can_bookmark = reader.kind["member"]
        if not isinstance(post, composed.ListedPost):  # (what a ListedPost's list was composed with)
            post.viewer_can_edit = post.viewer_is_author or reader.kind["edits_others"]
            post.viewer_can_translate = post.pk % 3 == 0
    return posts


KINDS = [
    {"member": member, "may_like": may_like, "edits_others": edits_others}
    for member, may_like, edits_others in itertools.product((False, True), repeat=3)
    if member or not (may_like or edits_others)
]


@pytest.mark.parametrize(
    "kind", KINDS, ids=lambda kind: "-".join(name for name, on in kind.items() if on) or "visitor"
)
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(
    ("next_url", "csrf_token"), [("/?page=2&x=\"'<>", "t0ken"), ("", "t0ken"), ("/", ""), ("", "")]
)
def test_a_kept_list_filled_for_another_reader_is_the_list_drawn_for_them(
    kind, language, next_url, csrf_token
):
    first, second = UserFactory(), UserFactory()
    first.kind = second.kind = kind
    # Every combination of (author, liked, bookmarked) for the second reader, the first's different.
    posts = []
    for author, liked, bookmarked in itertools.product((False, True), repeat=3):
        posts.append(
            (
                PostFactory(author=second if author else first, body="Plain <b>words</b> & more"),
                liked,
                bookmarked,
            )
        )
    ids = [post.pk for post, *_ in posts]
    seconds_likes = {post.pk for post, liked, _ in posts if liked}
    seconds_bookmarks = {post.pk for post, _, bookmarked in posts if bookmarked}
    kept = []
    with translation.override(language):
        rows = list(Post.objects.for_list().filter(pk__in=ids).order_by("pk"))
        page = composed.PostList(reader_flags(rows, first, liked=seconds_bookmarks, bookmarked=seconds_likes))
        page.edits_others = kind["edits_others"]
        page.keep = kept.append
        first_html = cards.posts_html(page, next_url=next_url, csrf_token=csrf_token)
        assert first_html == cards.post_list(cards.post_cards(page), next_url=next_url, csrf_token=csrf_token)

        stubs = [composed.ListedPost(post.pk, post.author_id) for post in rows]
        hit = composed.PostList(reader_flags(stubs, second, seconds_likes, seconds_bookmarks))
        (hit.composed,) = kept
        drawn = list(Post.objects.for_list().filter(pk__in=ids).order_by("pk"))
        drawn = reader_flags(drawn, second, seconds_likes, seconds_bookmarks)
        expected = cards.post_list(cards.post_cards(drawn), next_url=next_url, csrf_token=csrf_token)
        assert cards.posts_html(hit, next_url=next_url, csrf_token=csrf_token) == expected
    assert first_html != expected


# --- pages ----------------------------------------------------------------------------------------------


def test_a_reader_of_the_same_kind_gets_the_list_kept_by_another_byte_for_byte(
    login, author, reads, settings
):
    posts = PostFactory.create_batch(3, author=author)
    first, second = UserFactory(), UserFactory()
    services.like(user=second, post=posts[0])
    services.bookmark(user=second, post=posts[1])
    login(first).get("/")
    assert len(reads) == 1
    kept = login(second).get("/")
    assert len(reads) == 1  # from the cache
    settings.FLASKY_PAGE_CACHE_SECONDS = 0
    drawn = login(second).get("/")
    assert len(reads) == 2
    assert same_list(kept, drawn)


PAGES = {
    "home-all": lambda world: "/",
    "home-followed": lambda world: "/",
    "profile": lambda world: world["author"].get_absolute_url(),
    "tag": lambda world: "/tags/zebras/",
    "bookmarks": lambda world: "/bookmarks/",
}
READERS = {
    "member": UserFactory,
    "administrator": AdministratorFactory,
    "moderator": ModeratorFactory,
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", READERS)
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_list_page_from_the_cache_is_the_page_drawn_afresh(
    page, who, language, author, reads, settings
):
    settings.TRANSLATION_SERVICE = "libretranslate"
    world = {"author": author}
    first, second = READERS[who](), READERS[who]()
    posts = [PostFactory(author=author, body=f"About #zebras, number {number}") for number in range(3)]
    posts.append(PostFactory(author=second, body="My own #zebras"))
    for post in posts:
        services.update_tags(post)
    Post.objects.filter(pk=posts[0].pk).update(language="de")  # offered a translation
    FollowFactory(follower=first, followed=second)  # (the Followed timeline: the same posts as the second's)
    for reader in (first, second):
        FollowFactory(follower=reader, followed=author)
        for post in posts:
            services.bookmark(user=reader, post=post)
    services.like(user=second, post=posts[1])

    def get(reader):
        client = Client()
        client.force_login(reader)
        if page == "home-followed":
            client.cookies["show_followed"] = "1"
        response = client.get(PAGES[page](world), headers={"accept-language": language})
        assert response.status_code == 200
        return unmasked(response.content.decode())

    get(first)
    misses = len(reads)
    kept = get(second)
    assert len(reads) == misses  # from the cache
    settings.FLASKY_PAGE_CACHE_SECONDS = 0
    drawn = get(second)
    assert len(reads) == misses + 1
    assert post_list(kept) == post_list(drawn)
    if page != "profile":  # (the author's profile lists only the author's posts)
        mine = card(kept, posts[3])
        assert f'href="/post/{posts[3].pk}/edit/"' in mine and "/report/" not in mine
    assert 'aria-pressed="true"' in card(kept, posts[1]).split('data-toggle-form="bookmarked"')[0]
    assert (f'href="/post/{posts[0].pk}/edit/"' in card(kept, posts[0])) == (who == "administrator")
    assert "data-translate" in card(kept, posts[0])  # (German: offered in English and Spanish)


def test_nothing_of_one_reader_reaches_another(login, author, reads):
    post = PostFactory(author=author)
    services.like(user=author, post=post)
    services.bookmark(user=author, post=post)
    other = UserFactory()  # (made before: a new member is a new generation)
    mine = card(login(author).get("/").content.decode(), post)
    assert 'aria-pressed="true"' in mine and f'href="/post/{post.pk}/edit/"' in mine
    theirs = card(login(other).get("/").content.decode(), post)
    assert len(reads) == 1  # the author's list, kept
    assert 'aria-pressed="true"' not in theirs and 'name="undo"' not in theirs
    assert f'href="/post/{post.pk}/edit/"' not in theirs and f'href="/report/post/{post.pk}/"' in theirs
    assert likes_count(theirs) == 1
    again = card(login(author).get("/").content.decode(), post)
    assert len(reads) == 1
    assert unmasked(again) == unmasked(mine)


def test_a_reader_with_muted_words_reads_their_rows_each_time(login, reader, reads):
    from social import services as social

    PostFactory(body="A zebra crossed the road.")
    social.mute_word(user=reader, word="zebra")
    client = login(reader)
    for _ in range(2):
        assert "data-muted-post" in client.get("/").content.decode()
    assert len(reads) == 2


# --- every change shows on the next request -----------------------------------------------------------


def like_by_reader(world):
    services.like(user=world["reader"], post=world["post"])


def bookmark_by_reader(world):
    services.bookmark(user=world["reader"], post=world["post"])


OWN_CHANGES = {
    "liked-by-reader": (
        like_by_reader,
        lambda html: 'data-toggle-form="liked"' in html and "btn-danger" in html,
    ),
    "bookmarked-by-reader": (bookmark_by_reader, lambda html: 'aria-pressed="true"' in html),
}


@pytest.mark.parametrize("change", [*CHANGES, *OWN_CHANGES])
@pytest.mark.parametrize("language", ["en", "es"])
def test_a_change_shows_on_the_next_request_after_a_hit(login, author, reader, change, language, reads):
    from blog.tests.factories import CommentFactory

    post = PostFactory(author=author, body="A zebra crossed the road.")
    world = {"post": post, "author": author, "reader": reader, "comment": CommentFactory(post=post)}
    client = login(reader)
    do, shows = {**CHANGES, **OWN_CHANGES}[change]

    def home():
        return card(client.get("/", headers={"accept-language": language}).content.decode(), post)

    before = home()
    assert before is not None and not shows(before)
    assert unmasked(home()) == unmasked(before)
    assert len(reads) == 1  # the second from the cache
    do(world)
    assert shows(home())


def test_the_language_switch_shows_on_the_next_request(login, reader, reads):
    post = PostFactory()
    client = login(reader)
    english = card(client.get("/", headers={"accept-language": "en"}).content.decode(), post)
    client.get("/", headers={"accept-language": "en"})
    spanish = card(client.get("/", headers={"accept-language": "es"}).content.decode(), post)
    assert "Permalink" in english and "Permalink" not in spanish and "Enlace permanente" in spanish
    assert len(reads) == 2  # English kept and read again, then Spanish
    client.get("/", headers={"accept-language": "es"})
    assert len(reads) == 2


def test_a_new_generation_composes_the_list_again(login, reader, reads):
    PostFactory()
    client = login(reader)
    client.get("/")
    client.get("/")
    pagecache.bump_generation()
    client.get("/")
    assert len(reads) == 2


def test_the_cache_off_composes_every_list(login, reader, reads, settings):
    settings.FLASKY_PAGE_CACHE_SECONDS = 0
    PostFactory()
    client = login(reader)
    client.get("/")
    client.get("/")
    assert len(reads) == 2
