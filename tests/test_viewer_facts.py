"""The visibility rule read with the session's user (blog.models.ViewerFacts): the same posts and comments
as the rule's subqueries in every case that changes what a reader sees, a reader's page keys written as a
visitor's when nothing of theirs is withheld (so a deep page walks the partial index of shown posts), and
facts never older than the request.

Each case compares the rule for the session's user (loaded as every request loads it: RoleBackend.get_user,
facts attached) with the rule for the same user loaded plainly (no facts: the subqueries)."""

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.backends import RoleBackend
from accounts.models import Role, User
from accounts.roles import ADMIN, MODERATE, WRITE
from accounts.tests.factories import UserFactory
from blog.models import MAX_LITERAL_UNWANTED, Comment, Post, ViewerFacts
from blog.tests.factories import CommentFactory, PostFactory
from social.models import Block, Mute, MutedWord
from social.tests.factories import FollowFactory

pytestmark = pytest.mark.django_db


def _session_user(user):
    return RoleBackend().get_user(user.pk)


def _plain(user):
    return User.objects.get(pk=user.pk)


def _suspend(user):
    from moderation import services  # noqa: PLC0415 - the tests of the rule use the moderation service

    services.suspend(user, by=None, days=7)


def _seen(viewer):
    posts = set(Post.objects.visible_to(viewer).values_list("pk", flat=True))
    comments = set(Comment.objects.visible_to(viewer).values_list("pk", flat=True))
    muted = dict(Post.objects.flag_muted_words(viewer).values_list("pk", "muted_word"))
    return posts, comments, {pk: bool(flag) for pk, flag in muted.items()}


def _world(reader):
    """Someone of each kind around ``reader``, each with a post and a comment on a shown post."""
    shown = PostFactory(body="Open wombat")
    people = {
        name: UserFactory(username=name)
        for name in ["plain", "blocked", "blocker", "muted", "expired", "suspended", "withheld"]
    }
    for person in people.values():
        PostFactory(author=person, body=f"{person.username} writes about koalas")
        CommentFactory(post=shown, author=person, body=f"{person.username} remarks")
    Block.objects.create(blocker=reader, blocked=people["blocked"])
    Block.objects.create(blocker=people["blocker"], blocked=reader)
    Mute.objects.create(
        muter=reader, muted=people["muted"], until=timezone.now() + datetime.timedelta(days=1)
    )
    Mute.objects.create(
        muter=reader, muted=people["expired"], until=timezone.now() - datetime.timedelta(seconds=1)
    )
    _suspend(people["suspended"])
    Post.objects.filter(author=people["withheld"]).update(moderation="hidden")
    return people


def _own_held(reader):
    Post.objects.filter(pk=PostFactory(author=reader).pk).update(moderation="held")


def _own_hidden(reader):
    Post.objects.filter(pk=PostFactory(author=reader).pk).update(moderation="hidden")


def _own_hidden_comment(reader):
    Comment.objects.filter(pk=CommentFactory(author=reader).pk).update(moderation="hidden")


def _suspended_reader(reader):
    PostFactory(author=reader)
    _suspend(reader)


def _muted_word(reader):
    MutedWord.objects.create(user=reader, word="koalas")


def _moderator(reader):
    User.objects.filter(pk=reader.pk).update(role=Role.MODERATOR)


def _many_blocks(reader):
    people = User.objects.bulk_create(
        [User(username=f"pest{n}", email=f"pest{n}@example.com") for n in range(MAX_LITERAL_UNWANTED + 1)]
    )
    Block.objects.bulk_create([Block(blocker=reader, blocked=person) for person in people])
    PostFactory(author=people[-1])


def _nothing(reader):
    pass


CASES = {
    "nothing-withheld": _nothing,
    "own-held-post": _own_held,
    "own-hidden-post": _own_hidden,
    "own-hidden-comment": _own_hidden_comment,
    "suspended-reader": _suspended_reader,
    "muted-word": _muted_word,
    "moderator": _moderator,
    "more-blocks-than-listed": _many_blocks,
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_the_session_user_sees_what_the_rule_shows(reader, case):
    _world(reader)
    PostFactory(author=reader, body="My own koalas")
    case(reader)
    session_user = _session_user(reader)
    assert ViewerFacts.of(session_user) is not None  # read with the user, in the same query
    assert _seen(session_user) == _seen(_plain(reader))


def test_a_readers_keys_are_a_visitors_when_nothing_of_theirs_is_withheld(reader):
    """The same SQL as a visitor's (the planner walks blog_post_shown_newest_idx for both, however deep the
    page: bench/explain_lists.py), until one of the reader's posts is withheld."""
    PostFactory(author=reader)

    def keys(viewer):
        return Post.objects.visible_to(viewer).newest_first().values("pk").query.sql_with_params()[0]

    assert keys(_session_user(reader)) == keys(AnonymousUser())
    _own_held(reader)
    assert keys(_session_user(reader)) != keys(AnonymousUser())
    assert Post.objects.visible_to(_session_user(reader)).filter(author=reader).count() == 2


def test_blocks_and_mutes_are_named_not_asked(reader):
    people = _world(reader)
    sql = str(Post.objects.visible_to(_session_user(reader)).query)
    assert "social_block" not in sql and "social_mute" not in sql
    assert str(people["blocked"].pk) in sql and str(people["blocker"].pk) in sql


def test_a_change_in_the_same_request_goes_back_to_the_subqueries(reader):
    """Facts read at the start of a request are not used after a block, mute or muted word is saved or
    deleted in the same process: the next query asks SQL."""
    other = UserFactory()
    PostFactory(author=other, body="koalas again")
    for change in [
        lambda: Block.objects.create(blocker=reader, blocked=other),
        lambda: Block.objects.filter(blocker=reader).delete(),
        lambda: Mute.objects.create(muter=reader, muted=other),
        lambda: Mute.objects.filter(muter=reader).delete(),
        lambda: MutedWord.objects.create(user=reader, word="koalas"),
    ]:
        session_user = _session_user(reader)
        before = _seen(session_user)
        change()
        assert ViewerFacts.of(session_user) is None
        assert _seen(session_user) == _seen(_plain(reader)) != before


@pytest.mark.parametrize("via", ["block", "mute", "blocked-by", "muted-word"], ids=str)
def test_the_next_request_sees_a_change_however_it_was_made(login, reader, via):
    """bulk_create sends no signal: the facts are read with each request's user, never cached across
    requests, so the next page obeys even a change made behind the signals' back."""
    other = UserFactory(username="koalafan")
    PostFactory(author=other, body="Koalas everywhere")
    client = login(reader)
    first = client.get("/").content
    assert b"Koalas everywhere" in first and b"data-muted-post" not in first
    if via == "block":
        Block.objects.bulk_create([Block(blocker=reader, blocked=other)])
    elif via == "blocked-by":
        Block.objects.bulk_create([Block(blocker=other, blocked=reader)])
    elif via == "mute":
        Mute.objects.bulk_create([Mute(muter=reader, muted=other)])
    else:
        MutedWord.objects.bulk_create([MutedWord(user=reader, word="koalas", pattern="koalas")])
    content = client.get("/").content
    if via == "muted-word":
        assert b"data-muted-post" in content
    else:
        assert b"Koalas everywhere" not in content


def test_a_post_withheld_between_requests_stays_visible_to_its_author(login, reader):
    client = login(reader)
    post = PostFactory(author=reader, body="My zebra")
    assert b"My zebra" in client.get("/").content
    Post.objects.filter(pk=post.pk).update(moderation="held")
    assert b"My zebra" in client.get("/").content
    assert b"My zebra" not in login(UserFactory()).get("/").content


def test_a_role_changed_on_the_user_object_is_seen_by_the_next_check(reader):
    assert reader.has_perm(WRITE) and not reader.has_perm(MODERATE)
    reader.role = Role.MODERATOR
    assert reader.has_perm(MODERATE) and not reader.has_perm(ADMIN)
    reader.role = Role.USER
    assert not reader.has_perm(MODERATE)


def test_likes_and_bookmarks_are_marked_for_the_viewer_only(reader, django_assert_num_queries):
    from blog.listing import mark_likes_and_bookmarks  # noqa: PLC0415
    from blog.models import Bookmark, Like  # noqa: PLC0415

    liked, marked, both, neither = PostFactory.create_batch(4)
    other = UserFactory()
    Like.objects.create(user=reader, post=liked)
    Bookmark.objects.create(user=reader, post=marked)
    Like.objects.create(user=reader, post=both)
    Bookmark.objects.create(user=reader, post=both)
    Like.objects.create(user=other, post=neither)
    Bookmark.objects.create(user=other, post=neither)
    posts = [liked, marked, both, neither]
    with django_assert_num_queries(1):
        mark_likes_and_bookmarks(posts, reader)
    assert [(post.viewer_liked, post.viewer_bookmarked) for post in posts] == [
        (True, False),
        (False, True),
        (True, True),
        (False, False),
    ]
    with django_assert_num_queries(0):
        mark_likes_and_bookmarks(posts, AnonymousUser())
    assert not any(post.viewer_liked or post.viewer_bookmarked for post in posts)


@pytest.mark.parametrize("number", [1, 2, 3], ids=["first", "middle", "last"])
def test_a_readers_page_holds_the_rules_posts_in_order(login, reader, settings, number):
    """The keys come from the SQL compiled once (LIMIT and OFFSET appended), the rows without the rule:
    each page holds exactly the next of the posts the rule shows, newest first."""
    settings.FLASKY_PAGE_CACHE_SECONDS = 0
    settings.FLASKY_POSTS_PER_PAGE = 3
    blocked = UserFactory()
    Block.objects.create(blocker=reader, blocked=blocked)
    for n in range(11):
        PostFactory(author=blocked if n % 3 == 0 else UserFactory(), title=f"Heading {n:02d}")
    expected = list(Post.objects.visible_to(_plain(reader)).newest_first().values_list("title", flat=True))[
        (number - 1) * 3 : number * 3
    ]
    response = login(reader).get(f"/?page={number}")
    shown = re.findall(r"Heading \d\d", response.content.decode())
    assert list(dict.fromkeys(shown)) == expected
    assert expected


def test_the_session_user_is_that_user_with_their_unread_count(reader):
    from accounts.models import Notification  # noqa: PLC0415

    others = UserFactory.create_batch(3)
    for _n in range(2):
        Notification.objects.create(recipient=reader, kind="follow", actor=others[0])
    Notification.objects.create(recipient=others[1], kind="follow", actor=others[0])
    backend = RoleBackend()
    for user in [reader, *others]:
        loaded = backend.get_user(user.pk)
        # every column as the ORM reads it (dates, booleans and choices converted as it converts them),
        # a saved row of the default database
        orm = User.objects.get(pk=user.pk)
        for field in User._meta.concrete_fields:
            assert getattr(loaded, field.attname) == getattr(orm, field.attname), field.name
        assert not loaded._state.adding and loaded._state.db == orm._state.db
    assert backend.get_user(reader.pk).unread_notifications == 2
    assert backend.get_user(others[1].pk).unread_notifications == 1
    assert backend.get_user(str(reader.pk)).pk == reader.pk  # as a session may hold it
    assert backend.get_user(max(user.pk for user in others) + 1) is None
    User.objects.filter(pk=others[2].pk).update(is_active=False)
    assert backend.get_user(others[2].pk) is None


def test_the_followed_timeline_keeps_the_subqueries_and_shows_the_same(reader):
    """A few authors' posts are read through the authors' index: the rule keeps its subqueries for them
    (by_author), which PostgreSQL plans that way; the posts are the same."""
    people = _world(reader)
    for person in people.values():
        FollowFactory(follower=reader, followed=person)
    _own_held(reader)
    session_user = _session_user(reader)
    followed = Post.objects.followed_by(session_user)
    sql = str(followed.visible_to(session_user, by_author=True).query)
    assert "social_block" in sql and "social_mute" in sql
    assert set(followed.visible_to(session_user, by_author=True).values_list("pk", flat=True)) == set(
        Post.objects.followed_by(reader).visible_to(_plain(reader)).values_list("pk", flat=True)
    )
