"""Full-text search on SQLite (FTS5) and PostgreSQL (tsvector + GIN): ranking, stemming, edits, deletes,
hostile queries, the page and its query count. CI runs this file on both databases."""

import pytest
from django.contrib.auth.models import AnonymousUser

from blog import services
from blog.search import rebuild_index, search_posts
from blog.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

HOSTILE_QUERIES = [
    "",
    "   ",
    '"',
    '"unterminated phrase',
    "AND OR NOT",
    "run AND OR",
    "NEAR(run walk, 2)",
    "title:run",
    "run*",
    "-run",
    "(((",
    "'; DROP TABLE blog_post; --",
    "%_%",
    "\\",
    "!@#$%^&*()",
    "x" * 10_000,
    "run " * 500,
    "🏃‍♀️ emoji",
    "\x00nul",
    "<mark>run</mark>",
]


def found(text, **kwargs):
    return [post.pk for post in search_posts(text, viewer=AnonymousUser(), offset=0, limit=20, **kwargs)]


def test_stemming_finds_running_for_run():
    post = PostFactory(title="", body="I went running along the river this morning.")
    PostFactory(body="Nothing to see here at all, just some words.")
    assert found("run") == [post.pk]
    assert found("runs") == [post.pk]


def test_every_word_must_match():
    both = PostFactory(body="Cats and dogs living together.")
    PostFactory(body="Only cats in this one, lots of cats.")
    assert found("cats dogs") == [both.pk]


def test_a_title_match_ranks_above_a_passing_mention():
    passing = PostFactory(
        title="Holiday notes", body="We walked a lot. " * 20 + "Also, one day I went for a run."
    )
    titled = PostFactory(title="How I learned to run", body="Some thoughts about training for a first race.")
    assert found("run") == [titled.pk, passing.pk]


def test_results_are_highlighted_and_escaped():
    PostFactory(title="Run <b>fast</b>", body="Running <script>alert(1)</script> every day.")
    (post,) = search_posts("run", viewer=AnonymousUser(), offset=0, limit=20)
    # SQLite shows the markup as text; PostgreSQL's headline drops it. Either way it never acts.
    assert "<mark>Running</mark>" in post.snippet and "alert(1)" in post.snippet
    assert "<script" not in post.snippet and "<b>" not in post.title_html
    assert "<mark>Run</mark>" in post.title_html


def test_an_edit_is_reflected_at_once():
    post = PostFactory(title="", body="The old text about gardening.")
    services.edit_post(post, body="The new text about astronomy.")
    assert found("gardening") == []
    assert found("astronomy") == [post.pk]


def test_a_deleted_post_is_never_found():
    post = PostFactory(body="A post about volcanoes that will be deleted.")
    services.delete_post(post)
    assert found("volcanoes") == []


def test_posts_inserted_in_bulk_are_indexed_too():
    from blog.models import Post

    author = PostFactory().author
    Post.objects.bulk_create([Post(author=author, body="Bulk imported zeppelin story", body_html="<p>x</p>")])
    assert len(found("zeppelin")) == 1


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_get_an_answer_never_an_error(query):
    PostFactory(body="I like to run in the park.")
    assert isinstance(found(query), list)


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_the_search_page_answers_every_query(client, query):
    PostFactory(body="I like to run in the park.")
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200


def test_the_search_page_shows_ranked_highlighted_results(client):
    PostFactory(title="Running shoes", body="Which shoes for a first marathon?")
    response = client.get("/search/", {"q": "run"})
    content = response.content.decode()
    assert "Results for “run”" in content and "<mark>Running</mark>" in content


def test_the_search_page_explains_empty_and_long_queries(client):
    assert "Type some words to search" in client.get("/search/").content.decode()
    assert "only its first 200 characters" in client.get("/search/", {"q": "run " * 100}).content.decode()
    assert "Nothing matches" in client.get("/search/", {"q": "zzzzqqq"}).content.decode()


def test_the_search_page_paginates(client):
    PostFactory.create_batch(21, body="Marathon training diary entry.")
    assert len(client.get("/search/", {"q": "marathon"}).context["page"]) == 20
    assert len(client.get("/search/", {"q": "marathon", "page": 2}).context["page"]) == 1
    assert client.get("/search/", {"q": "marathon", "page": 3}).status_code == 404
    assert client.get("/search/", {"q": "marathon", "page": "x"}).status_code == 404


@pytest.mark.parametrize("rows", [1, 20])
def test_the_search_page_query_count_is_fixed(client, rows, django_assert_num_queries):
    PostFactory.create_batch(rows, body="Marathon training diary entry.")
    # the newest post's id (is there a window to search first?), the ranked matches, those posts with
    # their authors, talk details and counts as lists read them (blog.listing.listed_posts; their pictures
    # only if one of them has some)
    with django_assert_num_queries(3):
        client.get("/search/", {"q": "marathon"})


def test_a_repeated_search_skips_the_window_decision(client, settings, django_assert_num_queries):
    settings.FLASKY_SEARCH_WINDOW = 2
    PostFactory.create_batch(3, body="Marathon training diary entry.")
    client.get("/search/", {"q": "Marathon"})
    # the newest id, the ranked matches, those posts: whether to stay in the window is in the cache,
    # whatever the case of the words
    with django_assert_num_queries(3) as captured:
        client.get("/search/", {"q": "marathon", "page": 1})
    assert not any("count(" in query["sql"].lower() for query in captured.captured_queries[:2])


def test_the_navbar_has_a_search_box(client):
    assert 'action="/search/"' in client.get("/").content.decode()


def test_rebuild_index_keeps_results(client):
    post = PostFactory(body="Rebuilding the index of lighthouses.")
    rebuild_index()
    assert found("lighthouse") == [post.pk]


def test_spanish_posts_are_stemmed_as_spanish():
    post = PostFactory(title="", body="Ayer estuve corriendo por el parque con mis amigos toda la tarde.")
    assert post.language == "es"
    assert found("correr") == [post.pk]


SPANISH_SONGS = "Esta noche cantamos canciones populares con los niños del barrio, una tras otra."
SPANISH_SONG = "Escribí una canción para mi hermana pequeña, que cumple años la semana que viene."


@pytest.mark.parametrize(
    ("query", "matches"),
    [
        ("canción", ["songs", "song"]),
        ("canciones", ["songs", "song"]),
        ("cancion", ["songs", "song"]),  # typed without its accent
        ("CANCIONES", ["songs", "song"]),
        ("niño", ["songs"]),
        ("cantar", ["songs"]),
        ("hermanas", ["song"]),
    ],
)
def test_spanish_words_find_their_other_forms(query, matches):
    posts = {
        "songs": PostFactory(title="", body=SPANISH_SONGS),
        "song": PostFactory(title="", body=SPANISH_SONG),
    }
    assert {post.language for post in posts.values()} == {"es"}
    assert sorted(found(query)) == sorted(posts[name].pk for name in matches)


def test_english_posts_are_still_stemmed_as_english():
    post = PostFactory(title="Connections", body="We were connecting the running generators all afternoon.")
    assert post.language == "en"
    assert found("connected run generator") == [post.pk]


def test_spanish_results_highlight_the_words_as_written():
    PostFactory(title="Canciones de cuna", body=SPANISH_SONGS)
    (post,) = search_posts("canción", viewer=AnonymousUser(), offset=0, limit=20)
    assert "<mark>Canciones</mark> de cuna" in post.title_html
    assert "cantamos <mark>canciones</mark> populares" in post.snippet


def test_spanish_posts_loaded_in_bulk_and_rebuilt_are_found():
    from blog.models import Post

    author = PostFactory().author
    Post.objects.bulk_create(
        [Post(author=author, body=SPANISH_SONGS, body_html="<p>x</p>", language="es")]  # as fakedata does
    )
    assert len(found("canción")) == 1
    rebuild_index()
    assert len(found("canción")) == 1 and len(found("niño")) == 1


def test_a_post_whose_language_changes_is_stemmed_again():
    from blog.models import Post

    post = PostFactory(title="", body=SPANISH_SONGS)
    Post.objects.filter(pk=post.pk).update(language="en")
    assert found("niña") == []  # in English "niños" is "niño", and "niña" stays "niña"
    Post.objects.filter(pk=post.pk).update(language="es")
    assert found("niña") == [post.pk]  # both "niñ" in Spanish


@pytest.fixture
def small_window(settings):
    settings.FLASKY_SEARCH_WINDOW = 30
    return settings


def test_a_common_word_is_ranked_among_the_newest_posts(small_window, monkeypatch):
    monkeypatch.setattr("blog.search.ENOUGH_IN_WINDOW", 5)
    old_title_match = PostFactory(title="Kayak", body="A kayak trip.")
    PostFactory.create_batch(40, title="", body="Nothing about boats.")
    recent = PostFactory.create_batch(6, title="", body="We saw a kayak on the lake.")
    # Six recent matches fill the window's quota: the search stays among the newest posts.
    assert sorted(found("kayak")) == sorted(post.pk for post in recent)
    assert old_title_match.pk not in found("kayak")


def test_a_rare_word_is_searched_in_every_post(small_window, monkeypatch):
    monkeypatch.setattr("blog.search.ENOUGH_IN_WINDOW", 5)
    old = PostFactory(title="Zeppelin", body="An old airship story.")
    PostFactory.create_batch(40, title="", body="Nothing about airships.")
    recent = PostFactory(title="", body="A zeppelin flew over.")
    assert found("zeppelin") == [old.pk, recent.pk]  # the title match still ranks first


def test_the_window_decision_holds_for_the_following_pages(small_window, monkeypatch):
    monkeypatch.setattr("blog.search.ENOUGH_IN_WINDOW", 5)
    old = PostFactory(title="Zeppelin", body="An old airship story.")
    PostFactory.create_batch(40, title="", body="Nothing about airships.")
    assert found("zeppelin") == [old.pk]  # rare: every post is searched, and that is remembered
    PostFactory.create_batch(6, title="", body="A zeppelin flew over.")
    assert old.pk in found("zeppelin")  # the next pages of the same search rank the same way


# --- the People tab -------------------------------------------------------------------------------------


def _person(username, name=""):
    from accounts.tests.factories import UserFactory

    return UserFactory(username=username, name=name)


def test_people_tab_finds_usernames_and_names_by_their_start(client):
    alice, alfred, bob = _person("alice"), _person("Alfred"), _person("bob", name="Robert Alvarez")
    _person("carol", name="Carol Smith")
    response = client.get("/search/", {"q": "AL", "type": "people"})
    assert response.status_code == 200
    assert list(response.context["page"]) == [alfred, alice, bob]
    content = response.content.decode()
    assert 'href="/user/alice/"' in content and "Robert Alvarez" in content
    assert 'aria-current="page" href="/search/?q=AL&amp;type=people"' in content


def test_people_tab_skips_inactive_people_and_escapes_wildcards(client):
    from accounts.tests.factories import UserFactory

    UserFactory(username="dave", is_active=False)
    _person("erin")
    assert list(client.get("/search/", {"q": "da", "type": "people"}).context["page"]) == []
    assert list(client.get("/search/", {"q": "%", "type": "people"}).context["page"]) == []
    assert list(client.get("/search/", {"q": "_", "type": "people"}).context["page"]) == []


def test_people_tab_without_a_query_explains(client):
    content = client.get("/search/", {"type": "people"}).content.decode()
    assert "Type the start of a username" in content


def test_people_tab_has_20_a_page_and_a_fixed_query_count(client, settings, django_assert_num_queries):
    settings.FLASKY_PAGE_CACHE_SECONDS = (
        0  # rendered, not served whole (flasky_project/tests/test_page_cache.py)
    )
    for number in range(21):
        _person(f"user{number:02}")
    # a visit minutes ago left the list's total in the cache (pagination.list_total)
    client.get("/search/", {"q": "user", "type": "people"})
    # the page's keys, then its rows: the same for one person or a full page
    with django_assert_num_queries(2):
        first = client.get("/search/", {"q": "user", "type": "people"})
    assert len(first.context["page"]) == 20 and first.context["page"].has_next()
    assert len(client.get("/search/", {"q": "user", "type": "people", "page": 2}).context["page"]) == 1
