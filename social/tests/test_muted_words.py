"""Muted words: posts that contain them are folded behind "Show anyway" in the viewer's timelines, matched in
SQL (case-insensitive, whole words) on SQLite and PostgreSQL alike. Run these on both engines."""

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from blog.models import Post
from blog.tests.factories import PostFactory
from social import services
from social.models import MUTED_WORD_MAX_LENGTH, MUTED_WORDS_MAX_COUNT, MutedWord

pytestmark = pytest.mark.django_db

FOLDED = "Hidden: contains a word you muted."


def _flagged(viewer):
    return dict(Post.objects.flag_muted_words(viewer).values_list("body", "muted_word"))


@pytest.mark.parametrize(
    ("word", "body", "folded"),
    [
        ("spoiler", "A SPOILER ahead", True),
        ("spoiler", "spoiler", True),
        ("spoiler", "(spoiler).", True),
        ("spoiler", "spoilers ahead", False),
        ("spoiler", "nospoiler here", False),
        ("season finale", "The  Season\nfinale was long", True),
        ("season finale", "the season was long, the finale too", False),
        ("c++", "I write C++ daily", True),
        ("c++", "I write c daily", False),
        ("a.b", "axb", False),
        ("a.b", "see a.b now", True),
        ("(x)", "(x) marks", True),
        ("ñandú", "Un Ñandú corre", True),
        ("50%", "half is 50% off", True),
        ("50%", "half is 500 off", False),
    ],
)
def test_words_match_whole_and_in_any_case(reader, word, body, folded):
    services.mute_word(user=reader, word=word)
    PostFactory(body=body)
    assert _flagged(reader) == {body: folded}


def test_a_word_in_the_title_folds_the_post(reader):
    services.mute_word(user=reader, word="spoiler")
    PostFactory(title="Spoiler!", body="Nothing here")
    assert _flagged(reader) == {"Nothing here": True}


def test_other_people_and_visitors_see_nothing_folded(reader, client):
    services.mute_word(user=reader, word="spoiler")
    PostFactory(body="spoiler")
    assert _flagged(UserFactory()) == {"spoiler": False}
    assert FOLDED not in client.get("/").content.decode()


def test_home_folds_the_post_behind_show_anyway(login, reader):
    services.mute_word(user=reader, word="spoiler")
    post = PostFactory(body="The spoiler is here")
    shown = PostFactory(body="Plain news")
    client = login(reader)
    for path in ["/", f"/user/{post.author.username}/"]:
        page = client.get(path).content.decode()
        folded = page[page.index(f'id="post-{post.pk}"') :]
        assert "<details" in folded.split("</details>")[0] and FOLDED in folded.split("</details>")[0], path
        assert "Show anyway" in page and "The spoiler is here" in page, path  # still there, folded
    page = client.get("/").content.decode()
    assert "<details" not in page[page.index(f'id="post-{shown.pk}"') :].split("</li>")[0]


def test_the_followed_timeline_folds_it_too(login, reader):
    services.mute_word(user=reader, word="spoiler")
    PostFactory(author=reader, body="my spoiler")
    client = login(reader)
    client.post("/timeline/", {"show": "followed"})
    assert FOLDED in client.get("/").content.decode()


def test_the_post_page_always_shows_it(login, reader):
    services.mute_word(user=reader, word="spoiler")
    post = PostFactory(body="The spoiler is here")
    page = login(reader).get(f"/post/{post.pk}/").content.decode()
    assert "The spoiler is here" in page and FOLDED not in page


def test_muted_words_cost_no_query(login, reader, compose_lists_afresh, django_assert_num_queries):
    client = login(reader)
    PostFactory.create_batch(3, body="plain")
    client.get("/")
    # the list composed afresh, as it always is for a reader with muted words (blog.composed keeps lists
    # only for readers without)
    compose_lists_afresh()
    with django_assert_num_queries(3) as before:  # the home page's, logged in (test_views_posts.py)
        client.get("/")
    expected = len(before.captured_queries)  # read now: each request clears the connection's log
    for number in range(20):
        services.mute_word(user=reader, word=f"word{number}")
    PostFactory.create_batch(3, body="word3 here")
    client.get("/")  # the new posts renewed the navbar's cached count (talks.services.pending_count)
    with django_assert_num_queries(expected):
        client.get("/")


# --- the list of words ---


def test_add_and_remove_a_word_in_settings(reader_client, reader):
    response = reader_client.post("/settings/muted-words/", {"word": "  Season   Finale "}, follow=True)
    assert response.status_code == 200 and "Season Finale" in response.content.decode()
    word = MutedWord.objects.get(user=reader)
    assert word.word == "Season Finale"
    reader_client.post(f"/settings/muted-words/{word.pk}/delete/")
    assert not MutedWord.objects.exists()


def test_muting_the_same_word_twice_keeps_one(reader):
    services.mute_word(user=reader, word="Spoiler")
    services.mute_word(user=reader, word="spoiler")
    assert MutedWord.objects.filter(user=reader).count() == 1


@pytest.mark.parametrize("word", ["", "   ", "x" * (MUTED_WORD_MAX_LENGTH + 1)])
def test_bad_words_are_refused_on_the_site(reader_client, word):
    assert reader_client.post("/settings/muted-words/", {"word": word}).status_code == 400
    assert not MutedWord.objects.exists()


def test_a_user_mutes_a_bounded_number_of_words(reader, reader_client):
    MutedWord.objects.bulk_create(
        [MutedWord(user=reader, word=f"w{n}", pattern=f"w{n}") for n in range(MUTED_WORDS_MAX_COUNT)]
    )
    with pytest.raises(ValidationError):
        services.mute_word(user=reader, word="one more")
    response = reader_client.post("/settings/muted-words/", {"word": "one more"})
    assert response.status_code == 400
    assert MutedWord.objects.count() == MUTED_WORDS_MAX_COUNT


def test_nobody_removes_another_users_word(login, reader):
    word = services.mute_word(user=reader, word="spoiler")
    login(UserFactory()).post(f"/settings/muted-words/{word.pk}/delete/")
    assert MutedWord.objects.filter(pk=word.pk).exists()
