"""A member's home page kept whole for every reader of its kind (flasky_project.shells): the kept page
filled for another reader is what drawing it afresh gives them; nothing of one reader reaches another
(name, likes, token, timeline, notifications); what makes readers see different posts makes them different
kinds (blog.models.rule_identity); every change shows on the next request; and a page with a message
waiting, a reader with muted words, or read replicas are drawn each time."""

import re

import pytest
from django.middleware.csrf import _mask_cipher_secret
from django.test import Client

from accounts.backends import RoleBackend
from accounts.tests.factories import AdministratorFactory, ModeratorFactory, UserFactory
from accounts.tests.test_notifications_page import notify
from blog import services
from blog.models import Moderation, Post, rule_identity
from blog.tests.factories import PostFactory
from blog.tests.test_views_posts import without_tokens
from flasky_project import shells
from social import services as social
from social.tests.factories import FollowFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(monkeypatch):
    """The shells kept by the requests made since."""
    kept = []
    shell = shells._shell

    def counting(*args):
        made = shell(*args)
        if made is not None:
            kept.append(made)
        return made

    monkeypatch.setattr(shells, "_shell", counting)
    return kept


def session_user(user):
    """``user`` as a request sees them: loaded with their session's query, with their visibility facts."""
    return RoleBackend().get_user(user.pk)


def main(response):
    """The page's <main> (its navbar is its reader's own), CSRF tokens blanked out."""
    return re.search(r"<main.*?</main>", without_tokens(response), re.S).group(0)


def h1(response):
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1)


def pressed(response, post):
    """Whether the page shows ``post`` as liked by its reader."""
    item = re.search(rf'<li class="post [^"]*" id="post-{post.pk}">.*?</li>', response.content.decode(), re.S)
    return 'data-toggle-form="liked"><input type="hidden" name="csrfmiddlewaretoken"' in item.group(0) and (
        'value="1"><button type="submit" class="btn btn-sm btn-danger" aria-pressed="true"' in item.group(0)
    )


def rule_sql(viewer):
    """The SQL of the posts ``viewer`` may see, the moment it was compiled at left out."""
    return re.sub(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?", "NOW", str(Post.objects.visible_to(viewer).query)
    )


# --- the rule's identity ------------------------------------------------------------------------------------


def test_readers_of_one_identity_read_the_same_rule():
    author = UserFactory()
    plain, other = session_user(UserFactory()), session_user(UserFactory())
    assert rule_identity(plain) == rule_identity(other)
    assert rule_sql(plain) == rule_sql(other)
    moderator, second = session_user(ModeratorFactory()), session_user(ModeratorFactory())
    assert rule_identity(moderator) == rule_identity(second) != rule_identity(plain)
    assert rule_sql(moderator) == rule_sql(second) != rule_sql(plain)
    blocker = UserFactory()
    social.block(blocker=blocker, blocked=author)
    assert rule_identity(session_user(blocker)) not in (rule_identity(plain), None)
    # one who mutes the author sees what the one who blocks them sees; one who mutes another, not
    muter, other_muter = UserFactory(), UserFactory()
    social.mute(muter=muter, muted=author)
    social.mute(muter=other_muter, muted=UserFactory())
    assert rule_identity(session_user(muter)) == rule_identity(session_user(blocker))
    assert rule_sql(session_user(muter)) == rule_sql(session_user(blocker))
    assert rule_identity(session_user(other_muter)) != rule_identity(session_user(blocker))
    # one whose post is held sees it among the others: the identity names them
    held = UserFactory()
    PostFactory(author=held, moderation=Moderation.HELD)
    assert rule_identity(session_user(held)) not in (rule_identity(plain), rule_identity(session_user(muter)))
    # a user loaded without their facts (an API token's) shares nothing
    assert rule_identity(UserFactory()) is None


# --- one page, many readers ---------------------------------------------------------------------------------


def test_the_kept_page_is_each_readers_own(login, stored, served, compose_lists_afresh):
    first, second = UserFactory(username="first"), UserFactory(username="second")
    posts = PostFactory.create_batch(3)
    services.like(user=second, post=posts[0])
    mine = PostFactory(author=second)
    client = login(second)
    drawn_for_second = client.get("/")  # drawn by the view
    compose_lists_afresh()
    assert login(first).get("/").status_code == 200  # drawn for the first reader, and kept
    assert len(stored) == 2 and not served
    kept_for_second = client.get("/")
    assert served == [1]
    assert without_tokens(kept_for_second) == without_tokens(drawn_for_second)
    assert "second" in h1(kept_for_second) and "first" not in h1(kept_for_second)
    assert pressed(kept_for_second, posts[0]) and not pressed(login(first).get("/"), posts[0])
    assert f'href="/post/{mine.pk}/edit/"' in kept_for_second.content.decode()


def test_a_kept_pages_forms_carry_the_readers_own_token(stored, served):
    reader, other = UserFactory(), UserFactory()
    post = PostFactory()
    for user in (other, reader):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        page = client.get("/")
    assert served  # the reader's page came from the other's shell
    token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', page.content.decode()).group(1)
    response = client.post(f"/post/{post.pk}/like/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and post.likes.filter(user=reader).exists()


def test_readers_who_see_other_posts_get_other_pages(login, served):
    author = UserFactory()
    post = PostFactory(author=author, body="from the author")
    plain, blocker = UserFactory(), UserFactory()
    social.block(blocker=blocker, blocked=author)
    assert f'id="post-{post.pk}"' in login(plain).get("/").content.decode()
    assert f'id="post-{post.pk}"' not in login(blocker).get("/").content.decode()
    assert f'id="post-{post.pk}"' not in login(blocker).get("/").content.decode()
    assert f'id="post-{post.pk}"' in login(plain).get("/").content.decode()
    assert len(served) == 2


def test_followed_timelines_are_never_shared(login, served):
    first, second = UserFactory(), UserFactory()
    followed = FollowFactory(follower=first).followed
    post = PostFactory(author=followed)
    clients = [login(first), login(second)]
    for client in clients:
        client.cookies["show_followed"] = "1"
    assert f'id="post-{post.pk}"' in clients[0].get("/").content.decode()
    assert f'id="post-{post.pk}"' not in clients[1].get("/").content.decode()
    assert f'id="post-{post.pk}"' in clients[0].get("/").content.decode()
    assert served == [1]


def test_the_navbar_and_the_sidebar_are_the_readers_own(login, served):
    first, second, actor = UserFactory(), UserFactory(), UserFactory()
    suggested = FollowFactory(follower=FollowFactory(follower=first).followed).followed
    PostFactory()
    notify(first, actor=actor)
    login(second).get("/")
    page = login(first).get("/").content.decode()
    assert served
    assert f'href="/user/{first.username}/"' in page and f'href="/user/{second.username}/"' not in page
    assert "Notifications: 1 unread" in page
    assert suggested.username in page  # the people the first reader might follow


def test_changes_show_on_the_next_request(login, served):
    reader = UserFactory()
    client = login(reader)
    client.get("/")
    client.get("/")
    assert served == [1]
    post = services.publish_post(author=UserFactory(), body="news")
    assert f'id="post-{post.pk}"' in client.get("/").content.decode()
    services.like(user=reader, post=post)
    assert pressed(client.get("/"), post)
    reader.username = "renamed"
    reader.save()
    assert "renamed" in h1(client.get("/"))


def test_a_page_with_a_message_is_drawn(reader_client, stored, served):
    reader_client.get("/")
    response = reader_client.post("/", {"body": "Hello"}, follow=True)
    assert "Your post has been published." in response.content.decode()
    assert len(stored) == 1  # the first page; the one with the message was drawn and not kept


def test_an_administrators_page_is_not_a_members(login, served):
    administrators, members = AdministratorFactory.create_batch(2), UserFactory.create_batch(2)
    post = PostFactory()
    edit = f'href="/post/{post.pk}/edit/"'
    for administrator, member in zip(administrators, members, strict=True):
        assert edit in login(administrator).get("/").content.decode()  # Edit [Admin] on every post
        assert edit not in login(member).get("/").content.decode()
    assert len(served) == 2


def test_readers_with_muted_words_are_drawn_each_time(login, stored, served):
    reader = UserFactory()
    social.mute_word(user=reader, word="spoiler")
    PostFactory(body="a spoiler here")
    client = login(reader)
    client.get("/")
    client.get("/")
    assert not stored and not served


def test_nothing_is_kept_with_read_replicas(login, stored, served, settings):
    settings.DATABASE_REPLICAS = ["replica"]
    client = login(UserFactory())
    client.get("/")
    client.get("/")
    assert not stored and not served


def test_a_spanish_reader_gets_a_spanish_page(login, served):
    english, spanish = UserFactory(), UserFactory(language="es")
    PostFactory()
    login(english).get("/")
    page = login(spanish).get("/")
    assert 'lang="es"' in page.content.decode() and not served
    assert 'lang="es"' in login(spanish).get("/").content.decode() and served == [1]


# --- the other pages kept whole: search, the lists of talks -----------------------------------------------


def test_search_results_are_kept_per_kind(login, served):
    author = UserFactory()
    post = PostFactory(author=author, body="zanzibar wombat")
    first, second, blocker = UserFactory.create_batch(3)
    social.block(blocker=blocker, blocked=author)
    path = "/search/?q=zanzibar"
    drawn = login(first).get(path)
    kept = login(second).get(path)
    assert served == [1] and main(kept) == main(drawn)
    assert f'id="post-{post.pk}"' in kept.content.decode()
    assert f'id="post-{post.pk}"' not in login(blocker).get(path).content.decode()
    assert served == [1]


def test_talk_lists_are_kept_per_kind_and_renewed(login, served):
    from talks.tests.factories import TalkFactory  # noqa: PLC0415 - the talks app's (blog never imports it)

    author = UserFactory()
    talk = TalkFactory(post__author=author)
    first, second, blocker = UserFactory.create_batch(3)
    social.block(blocker=blocker, blocked=author)
    for path in ("/talks/", f"/talks/by/{author.username}/"):
        drawn = login(first).get(path)
        kept = login(second).get(path)
        assert main(kept) == main(drawn)
        assert f'id="talk-{talk.pk}"' in kept.content.decode()
        assert f'id="talk-{talk.pk}"' not in login(blocker).get(path).content.decode()
    assert len(served) == 2
    newer = TalkFactory(post__author=author)  # a new generation: the next page shows it
    assert f'id="talk-{newer.pk}"' in login(second).get("/talks/").content.decode()


# The follow block's button, as Unfollow (the reader follows the owner) and as Follow.
UNFOLLOW = 'class="btn btn-sm btn-outline-secondary" data-follow-button'
FOLLOW = 'class="btn btn-sm btn-primary" data-follow-button'


def test_a_kept_profiles_follow_block_is_each_readers_own(login, served):
    owner = UserFactory()
    PostFactory(author=owner)
    follower, stranger, blocker = UserFactory.create_batch(3)
    social.follow(follower=follower, followed=owner)
    social.follow(follower=owner, followed=stranger)
    social.block(blocker=blocker, blocked=UserFactory())  # blocks someone else: a kind of their own
    path = f"/user/{owner.username}/"

    def block(user):
        page = login(user).get(path).content.decode()
        return re.search(r"<div class=\"follow-block.*?\n</div>", page, re.S).group(0)

    assert UNFOLLOW in block(follower) and "Follows you" not in block(follower)
    stranger_block = block(stranger)  # served from the follower's page
    assert served
    assert UNFOLLOW not in stranger_block and FOLLOW in stranger_block
    assert "Follows you" in stranger_block
    assert f'href="/block/{owner.username}/"' in block(blocker)
    # the owner's own page is another kind: theirs to edit, nobody to follow
    own = main(login(owner).get(path))
    assert "data-follow-form" not in own and "Edit Profile" in own
    assert "Edit Profile" not in main(login(stranger).get(path))


def test_a_follow_shows_on_the_next_kept_profile(login, served):
    owner, reader = UserFactory(), UserFactory()
    PostFactory(author=owner)
    client = login(reader)
    path = f"/user/{owner.username}/"
    client.get(path)
    client.get(path)
    assert served == [1]
    social.follow(follower=reader, followed=owner)
    page = client.get(path).content.decode()
    assert UNFOLLOW in page and "data-followers-count>1<" in page


def test_unfollowing_a_tag_shows_on_the_next_followed_timeline(login, served):
    reader = UserFactory()
    services.follow_tag(user=reader, name="rust")
    post = services.publish_post(author=UserFactory(), body="all about #rust")
    client = login(reader)
    client.cookies["show_followed"] = "1"
    assert f'id="post-{post.pk}"' in client.get("/").content.decode()
    assert f'id="post-{post.pk}"' in client.get("/").content.decode() and served == [1]
    services.unfollow_tag(user=reader, name="rust")
    assert f'id="post-{post.pk}"' not in client.get("/").content.decode()


def test_text_that_looks_like_the_drawers_token_stays_text(stored, served):
    """A page is drawn under a CSRF secret of its own (pagecache.throwaway_csrf_secret): a masked copy of
    the drawing reader's own secret, written where the page shows text, is never taken for a token (it
    would become every other reader's token there, a link away from another site)."""
    owner, drawer, reader = UserFactory.create_batch(3)
    PostFactory(author=owner)
    drawing = Client()
    drawing.force_login(drawer)
    drawing.get("/")  # (the drawer's CSRF cookie)
    planted = _mask_cipher_secret(drawing.cookies["csrftoken"].value)
    owner.about_me = f"See https://evil.example/{planted}"
    owner.save()
    path = f"/user/{owner.username}/"
    assert planted in drawing.get(path).content.decode()
    assert stored
    victim = Client()
    victim.force_login(reader)
    page = victim.get(path).content.decode()
    assert served and f"https://evil.example/{planted}" in page


def test_a_page_whose_parts_are_drawn_inline_is_not_kept(login, stored, monkeypatch):
    from flasky_project import readahead  # noqa: PLC0415

    monkeypatch.setattr(readahead, "later", lambda *args, **kwargs: None)  # the navbar drawn in the page
    client = login(UserFactory())
    client.get("/")
    client.get("/")
    assert not stored


# --- a post's page ---------------------------------------------------------------------------------------


def comment_item(response, comment):
    found = re.search(rf'<li[^>]* id="comment-{comment.pk}".*?</li>', response.content.decode(), re.S)
    return found.group(0) if found else None


def test_a_kept_post_page_gives_each_reader_their_own_comment_actions(login, served, compose_lists_afresh):
    from blog.tests.factories import CommentFactory  # noqa: PLC0415

    first, second = UserFactory(), UserFactory()
    post = PostFactory()
    theirs, others = CommentFactory(post=post, author=second), CommentFactory(post=post)
    services.like(user=second, comment=others)
    path = post.get_absolute_url()
    client = login(second)
    drawn = client.get(path)  # drawn for the second reader (and kept)
    compose_lists_afresh()
    login(first).get(path)  # drawn for the first, and kept
    kept = client.get(path)  # the first's page, filled for the second
    assert served == [1] and without_tokens(kept) == without_tokens(drawn)
    edit = f'href="/comment/{theirs.pk}/edit/"'
    assert edit in comment_item(kept, theirs) and 'aria-pressed="true"' in comment_item(kept, others)
    firsts = login(first).get(path)
    assert edit not in comment_item(firsts, theirs) and 'aria-pressed="true"' not in comment_item(
        firsts, others
    )


def test_the_posts_author_and_a_reader_with_a_held_comment_are_drawn_alone(login, served, stored):
    from blog.tests.factories import CommentFactory  # noqa: PLC0415

    author, holder, reader = UserFactory.create_batch(3)
    post = PostFactory(author=author)
    comment = CommentFactory(post=post)
    held = CommentFactory(post=post, author=holder, moderation=Moderation.HELD)
    path = post.get_absolute_url()
    disable = f'action="/comment/{comment.pk}/disable/"'
    for _ in range(2):
        assert disable in comment_item(login(author).get(path), comment)  # their post's comments to moderate
        assert comment_item(login(holder).get(path), held) is not None  # their held comment
    assert not stored and not served
    page = login(reader).get(path)
    assert comment_item(page, held) is None and disable not in comment_item(page, comment)
    assert len(stored) == 1
    assert comment_item(login(holder).get(path), held) is not None
    assert disable in comment_item(login(author).get(path), comment)
    assert not served


def test_a_new_comment_shows_on_the_next_kept_post_page(login, served):
    reader, writer = UserFactory(), UserFactory()
    post = PostFactory()
    client = login(reader)
    client.get(post.get_absolute_url())
    client.get(post.get_absolute_url())
    assert served == [1]
    comment = services.publish_comment(post=post, author=writer, body="A new one")
    assert comment_item(client.get(post.get_absolute_url()), comment) is not None


@pytest.mark.parametrize("withheld", [{"moderation": Moderation.HELD}, {"approved": False}])
def test_a_reader_whose_comment_alone_is_withheld_still_sees_it(login, served, withheld):
    """The kept page of a post with no comment others see has no comments' slot: a guard asks whether the
    reader wrote one that they alone see (blog.threads.fill_post_guard)."""
    from blog.tests.factories import CommentFactory  # noqa: PLC0415

    holder, reader = UserFactory(), UserFactory()
    post = PostFactory()
    held = CommentFactory(post=post, author=holder, **withheld)
    path = post.get_absolute_url()
    assert comment_item(login(holder).get(path), held) is not None
    assert comment_item(login(reader).get(path), held) is None  # (kept)
    assert comment_item(login(reader).get(path), held) is None and served == [1]
    assert comment_item(login(holder).get(path), held) is not None
    assert served == [1]


@pytest.mark.parametrize(
    "path",
    [
        "/post/99999999999999999999/",
        "/?page=abc",
        "/?page=99999999999999999999",
        "/user/nobody-here/",
        "/talks/by/nobody-here/",
        "/search/?q=" + "zanzibar%20" * 300,
    ],
)
def test_bad_input_on_a_kept_page_is_a_clear_answer_and_keeps_nothing(login, stored, path):
    client = login(UserFactory())
    PostFactory()
    for _ in range(2):
        response = client.get(path)
        assert response.status_code in (200, 404)
        assert b"\x00" not in response.content  # (no marker left in the page)
    if response.status_code == 404:
        assert not stored


# --- what the fillers keep for a reader ---------------------------------------------------------------------


def toggled(response, post, kind):
    """Whether the page shows ``post`` as ``kind`` ("liked", "bookmarked") by its reader."""
    item = re.search(rf'<li class="post [^"]*" id="post-{post.pk}">.*?</li>', response.content.decode(), re.S)
    form = re.search(rf'data-toggle-form="{kind}">.*?</form>', item.group(0), re.S)
    return 'aria-pressed="true"' in form.group(0)


def marks_queries(queries):
    """The queries among ``queries`` that read a reader's likes and bookmarks of a list's posts."""
    return [
        query["sql"] for query in queries if " UNION ALL " in query["sql"] and "blog_bookmark" in query["sql"]
    ]


def test_a_readers_likes_and_bookmarks_are_kept_and_each_change_shows_next(login, served):
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    reader = UserFactory()
    post = PostFactory()
    client = login(reader)
    client.get("/")  # drawn and kept
    client.get("/")  # served: the reader's marks read, and kept for them
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/")
    assert served == [1, 1] and not marks_queries(queries.captured_queries)
    assert not toggled(page, post, "bookmarked") and not toggled(page, post, "liked")
    # a bookmark renews no page (nobody else sees it), but the marks' generation: the next page shows it
    services.bookmark(user=reader, post=post)
    assert toggled(client.get("/"), post, "bookmarked")
    services.unbookmark(user=reader, post=post)
    assert not toggled(client.get("/"), post, "bookmarked")
    services.like(user=reader, post=post)
    assert toggled(client.get("/"), post, "liked")
    # whatever writes it: a bulk delete of the reader's likes too
    from blog.models import Like  # noqa: PLC0415

    Like.objects.filter(user=reader).delete()
    assert not toggled(client.get("/"), post, "liked")
    # another reader of the same kind is served the same page with their own marks, not these
    services.like(user=reader, post=post)
    other = login(UserFactory())
    other.get("/")
    assert not toggled(other.get("/"), post, "liked") and toggled(client.get("/"), post, "liked")


def test_a_readers_comment_likes_and_follows_are_kept_and_each_change_shows_next(login, served):
    from blog.tests.factories import CommentFactory  # noqa: PLC0415

    reader, owner = UserFactory(), UserFactory()
    post = PostFactory(author=owner)
    comment = CommentFactory(post=post)
    client = login(reader)
    for _ in range(3):  # drawn, served (marks kept), served from what was kept
        client.get(post.get_absolute_url())
    assert served == [1, 1]
    assert 'aria-pressed="true"' not in comment_item(client.get(post.get_absolute_url()), comment)
    services.like(user=reader, comment=comment)
    assert 'aria-pressed="true"' in comment_item(client.get(post.get_absolute_url()), comment)
    path = f"/user/{owner.username}/"
    for _ in range(3):
        assert UNFOLLOW not in client.get(path).content.decode()
    social.follow(follower=reader, followed=owner)
    assert UNFOLLOW in client.get(path).content.decode()
    social.unfollow(follower=reader, followed=owner)
    assert UNFOLLOW not in client.get(path).content.decode()


def test_what_was_kept_for_one_reader_is_never_anothers(login):
    """What a filler kept is under the reader's id: a second reader of the kind reads their own."""
    first, second = UserFactory(), UserFactory()
    post = PostFactory()
    services.bookmark(user=first, post=post)
    login(first).get("/")
    assert toggled(login(first).get("/"), post, "bookmarked")
    assert not toggled(login(second).get("/"), post, "bookmarked")
    assert not toggled(login(second).get("/"), post, "bookmarked")


def test_a_follow_block_kept_for_a_reader_carries_their_token_of_the_moment():
    owner, reader = UserFactory(), UserFactory()
    PostFactory(author=owner)
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    path = f"/user/{owner.username}/"
    pages = [client.get(path).content.decode() for _ in range(3)]  # drawn, served, served from the memo
    forms = [re.search(r"<form[^>]*data-follow-form.*?</form>", page, re.S).group(0) for page in pages]
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', form).group(1) for form in forms]
    assert len(set(tokens)) == 3 and "\x00" not in pages[2]
    response = client.post(f"/follow/{owner.username}/", {"csrfmiddlewaretoken": tokens[2]})
    assert response.status_code == 302 and UNFOLLOW in client.get(path).content.decode()
