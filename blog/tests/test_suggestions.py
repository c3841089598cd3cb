"""Who to follow: the ranking, every exclusion, the cached global part, and where it shows."""

import random
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import timezone

from accounts.tests.factories import UserFactory
from blog import suggestions
from blog.suggestions import POPULAR_CACHE_KEY, popular_authors, who_to_follow
from blog.tests.factories import PostFactory
from blog.tests.test_composed import same_list
from social import derived
from social.models import Block, Follow, Mute
from social.tests.factories import FollowFactory

pytestmark = pytest.mark.django_db


def follow(follower, *followed):
    for user in followed:
        FollowFactory(follower=follower, followed=user)


def names(users):
    return [user.username for user in users]


@pytest.fixture
def me():
    return UserFactory(username="me")


def test_people_followed_by_those_you_follow_come_first_most_such_followers_first(me):
    friend_a, friend_b = UserFactory(), UserFactory()
    once, twice = UserFactory(username="once"), UserFactory(username="twice")
    follow(me, friend_a, friend_b)
    follow(friend_a, once, twice)
    follow(friend_b, twice)
    suggestions = who_to_follow(me)
    assert names(suggestions) == ["twice", "once"]
    assert [(person.mutual, person.follower_count) for person in suggestions] == [(2, 2), (1, 1)]


def test_then_the_most_followed_recently_active_authors(me):
    friend, friend_of_friend = UserFactory(), UserFactory(username="fof")
    follow(me, friend)
    follow(friend, friend_of_friend)
    popular, less, silent = UserFactory(username="popular"), UserFactory(username="less"), UserFactory()
    stale = UserFactory(username="stale")
    for author in (popular, less):
        PostFactory(author=author)
    PostFactory(author=stale, created=timezone.now() - timedelta(days=31))
    follow(UserFactory(), popular, less, silent, stale)
    follow(UserFactory(), popular, silent, stale)
    assert names(who_to_follow(me)) == ["fof", "popular", "less"]


def test_at_most_limit_people(me):
    for author in UserFactory.create_batch(7):
        PostFactory(author=author)
    assert len(who_to_follow(me)) == 5
    assert len(who_to_follow(me, limit=2)) == 2


@pytest.mark.parametrize("level_ids", [2_000, 3], ids=["one query a level", "levels in parts"])
@pytest.mark.parametrize("limit", [3, 10, 40])
def test_the_ranking_is_the_exhaustive_one(me, limit, level_ids, monkeypatch):
    """Against every candidate ranked in Python: by how many of the people I follow follow them (level by
    level, some levels emptied by exclusions), ties broken by the popular pool's order, then follower
    counts, then id; then the pool."""
    monkeypatch.setattr(suggestions, "LEVEL_QUERY_IDS", level_ids)
    rng = random.Random(7)
    friends = UserFactory.create_batch(6)
    others = UserFactory.create_batch(40)
    follow(me, *friends)
    for friend in friends:
        follow(friend, *rng.sample(others, rng.randrange(3, 15)))
        follow(friend, *rng.sample([me, *[other for other in friends if other != friend]], 3))
    for person in others:
        follow(person, *[other for other in rng.sample(others, rng.randrange(0, 6)) if other != person])
    for author in rng.sample(others, 8):
        PostFactory(author=author)
    excluded = rng.sample(others, 10)
    for person in excluded[:5]:
        Block.objects.create(blocker=me, blocked=person)
    for person in excluded[5:]:
        Mute.objects.create(muter=me, muted=person)
    cache.clear()
    popular = popular_authors()
    mine = set(Follow.objects.filter(follower=me).values_list("followed", flat=True))

    def place(person):
        mutual = Follow.objects.filter(followed=person, follower__in=mine).count()
        position = popular.index(person.pk) if person.pk in popular else len(popular)
        return (-mutual, position, -Follow.objects.filter(followed=person).count(), person.pk)

    eligible = [
        person
        for person in others
        if person not in excluded
        and person.pk not in mine
        and (person.pk in popular or Follow.objects.filter(followed=person, follower__in=mine).exists())
    ]
    expected = sorted(eligible, key=place)[:limit]
    assert len(expected) == min(limit, len(eligible))
    assert who_to_follow(me, limit=limit) == expected


def exclude_following(me, other):
    Follow.objects.create(follower=me, followed=other)


def exclude_blocked(me, other):
    Block.objects.create(blocker=me, blocked=other)


def exclude_blocking(me, other):
    Block.objects.create(blocker=other, blocked=me)


def exclude_muted(me, other):
    Mute.objects.create(muter=me, muted=other)


def exclude_inactive(me, other):
    other.is_active = False
    other.save()


def exclude_suspended(me, other):
    other.suspended_until = timezone.now() + timedelta(days=3)
    other.save()


@pytest.mark.parametrize(
    "exclude",
    [
        exclude_following,
        exclude_blocked,
        exclude_blocking,
        exclude_muted,
        exclude_inactive,
        exclude_suspended,
    ],
    ids=["following", "blocked", "blocking", "muted", "inactive", "suspended"],
)
def test_never_suggested(me, exclude):
    friend, other = UserFactory(), UserFactory()
    Follow.objects.create(follower=me, followed=friend)
    Follow.objects.create(follower=friend, followed=other)
    PostFactory(author=other)  # a popular author too
    exclude(me, other)
    cache.clear()
    assert other not in who_to_follow(me)


def test_an_expired_mute_excludes_no_longer(me):
    other = UserFactory()
    PostFactory(author=other)
    Mute.objects.create(muter=me, muted=other, until=timezone.now() - timedelta(minutes=1))
    assert who_to_follow(me) == [other]


def test_never_yourself(me):
    PostFactory(author=me)
    follow(UserFactory(), me)
    assert who_to_follow(me) == []


def test_nobody_for_a_visitor(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert who_to_follow(AnonymousUser()) == []


def test_the_global_part_is_cached_for_ten_minutes(me, django_assert_num_queries):
    first = UserFactory()
    PostFactory(author=first)
    with django_assert_num_queries(3):  # the popular authors, then the viewer's suggestions (two)
        assert who_to_follow(me) == [first]
    later = UserFactory()
    PostFactory(author=later)
    follow(UserFactory(), later)
    derived.forget(me.pk)  # the viewer's own list is cached too (see the tests below)
    with django_assert_num_queries(2):  # the popular part comes from the cache: the newcomer waits
        assert who_to_follow(me) == [first]
    assert cache.get(POPULAR_CACHE_KEY) == [first.pk]
    cache.delete(POPULAR_CACHE_KEY)
    assert popular_authors() == [later.pk, first.pk]


def test_the_cached_ids_are_filtered_again_for_each_viewer(me):
    other = UserFactory()
    PostFactory(author=other)
    assert who_to_follow(me) == [other]
    Block.objects.create(blocker=other, blocked=me)
    assert who_to_follow(me) == []


def test_the_empty_followed_timeline_suggests_people(login, me):
    popular = UserFactory(username="popular")
    PostFactory(author=popular)
    client = login(me)
    client.post("/timeline/", {"show": "followed"})
    html = client.get("/").content.decode()
    assert "Who to follow" in html and f'id="suggestion-{popular.pk}"' in html
    assert 'action="/follow/popular/"' in html


def test_following_a_suggestion_returns_to_the_page(login, me):
    popular = UserFactory(username="popular")
    response = login(me).post(f"/follow/{popular.username}/", {"next": "/"})
    assert response.status_code == 302 and response.url == "/"
    assert Follow.objects.filter(follower=me, followed=popular).exists()


@pytest.mark.parametrize("tab", ["all", "followed"])
def test_the_home_sidebar_suggests_people_on_both_timelines(login, me, tab):
    friend = UserFactory()
    follow(me, friend)
    PostFactory(author=friend)
    stranger = UserFactory()
    PostFactory(author=stranger)
    client = login(me)
    client.post("/timeline/", {"show": tab})
    html = client.get("/").content.decode()
    assert 'class="sidebar"' in html and f'id="suggestion-{stranger.pk}"' in html
    assert f'id="suggestion-{friend.pk}"' not in html  # already followed


def test_the_profile_sidebar_suggests_people(login, me):
    popular = UserFactory(username="popular")
    PostFactory(author=popular)
    html = login(me).get("/user/me/").content.decode()
    assert "Who to follow" in html and f'id="suggestion-{popular.pk}"' in html
    assert "1 follower" not in html  # nobody follows them: "0 followers"
    assert "0 followers" in html


@pytest.mark.parametrize("rows", [1, 5])
def test_empty_followed_home_query_count_is_fixed(
    login, me, rows, draw_pages_afresh, django_assert_num_queries
):
    for author in UserFactory.create_batch(rows):
        PostFactory(author=author)
        follow(UserFactory(), author)
    client = login(me)
    client.post("/timeline/", {"show": "followed"})
    client.get("/")  # the popular authors and the viewer's suggestions are now cached
    # whether they follow tags, the page's keys (none), drawn (flasky_project.shells keeps it whole)
    # (the session's user is its copy kept in the cache: accounts.backends)
    draw_pages_afresh()
    with django_assert_num_queries(2):
        response = client.get("/")
    assert len(response.context["suggestions"]) == rows


@pytest.mark.parametrize("rows", [1, 5])
def test_profile_query_count_with_suggestions_is_fixed(
    login, me, rows, compose_lists_afresh, draw_pages_afresh, django_assert_num_queries
):
    PostFactory.create_batch(rows, author=me)
    for author in UserFactory.create_batch(rows):
        PostFactory(author=author)
        follow(UserFactory(), author)
    client = login(me)
    client.get("/user/me/")
    # the profile page's seven (talks/tests/test_profile.py), the user's likes and bookmarks among the
    # page's posts (the suggestions come from the cache)
    # (the session's user is its copy kept in the cache: accounts.backends)
    compose_lists_afresh()  # the list composed afresh (blog.composed)
    with django_assert_num_queries(8):
        response = client.get("/user/me/")
    assert len(response.context["suggestions"]) == rows
    # the same list again, kept for readers of its kind: its rows are not read (blog.composed)
    draw_pages_afresh()  # (not the page kept whole: flasky_project.shells)
    with django_assert_num_queries(7):
        kept = client.get("/user/me/")
    assert same_list(kept, response)


def test_a_viewer_s_suggestions_are_cached_so_the_sidebar_costs_no_query(me, django_assert_num_queries):
    other = UserFactory()
    PostFactory(author=other)
    assert who_to_follow(me) == [other]
    with django_assert_num_queries(0):
        assert who_to_follow(me) == [other]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda me, other: follow(me, other), id="viewer-follows"),
        pytest.param(lambda me, other: Block.objects.create(blocker=me, blocked=other), id="viewer-blocks"),
        pytest.param(lambda me, other: Block.objects.create(blocker=other, blocked=me), id="blocked-by-them"),
        pytest.param(lambda me, other: Mute.objects.create(muter=me, muted=other), id="viewer-mutes"),
    ],
)
def test_a_follow_block_or_mute_forgets_the_cached_suggestions_at_once(me, change):
    other = UserFactory()
    PostFactory(author=other)
    assert who_to_follow(me) == [other]
    change(me, other)
    assert who_to_follow(me) == []


def test_ending_a_follow_brings_the_person_back_at_once(me):
    other = UserFactory()
    PostFactory(author=other)
    follow(me, other)
    assert who_to_follow(me) == []
    Follow.objects.filter(follower=me, followed=other).delete()
    assert who_to_follow(me) == [other]
