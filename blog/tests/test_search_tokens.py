"""SQLite's search index holds each post's words stemmed in Python: the stems must line up one for one with
the words FTS5's tokenizer finds in the post, or highlights would mark the wrong words."""

import random
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from blog.fts5_separators import SEPARATORS
from blog.search import search_posts, stem_text
from blog.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

MIXED = [
    "Don't e-mail me: café, cafe\u0301, naïve, foo_bar, a+b, ½, ２, x², Ⅲ, Straße, 你好世界, हैलो वर्ल्ड",
    "Canciones 🎶 para niños 🤦🏼\u200d♂️ (¡otra vez!) — «comillas» · 1.000,5 € a\u200bb İstanbul ǅ ﬁ",
]


@pytest.fixture
def count_words():
    if connection.vendor != "sqlite":
        pytest.skip("FTS5 is SQLite's")
    with connection.cursor() as cursor:
        cursor.execute("CREATE VIRTUAL TABLE temp.t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
        cursor.execute("CREATE VIRTUAL TABLE temp.words USING fts5vocab(temp, t, 'instance')")

    def count(*texts):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM temp.t")
            cursor.executemany("INSERT INTO temp.t(rowid, x) VALUES (%s, %s)", list(enumerate(texts)))
            cursor.execute("SELECT doc, count(*) FROM temp.words GROUP BY doc")
            found = dict(cursor.fetchall())
        return [found.get(row, 0) for row in range(len(texts))]

    yield count
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE temp.words")
        cursor.execute("DROP TABLE temp.t")


def _separators():
    for match in re.finditer(r"(.)(?:-(.))?", SEPARATORS, re.DOTALL):
        yield from range(ord(match[1]), ord(match[2] or match[1]) + 1)


def test_the_separators_are_those_of_the_sqlite_in_use(count_words):
    separators = set(_separators())
    others = [code for code in random.Random(11).sample(range(0x80, 0x30000), 6000) if code not in separators]
    others = [code for code in others if not 0xD800 <= code < 0xE000]
    codes = [*sorted(separators), *others]
    counts = count_words(*(f"q{chr(code)}q" for code in codes))
    assert [count == 2 for count in counts] == [code in separators for code in codes]


@pytest.mark.parametrize("language", ["en", "es"])
def test_stems_line_up_with_the_words_fts5_finds(count_words, language):
    rng = random.Random(3)
    anything = [
        "".join(
            chr(rng.choice([rng.randint(32, 126), rng.randint(0x80, 0x2FFF), rng.randint(0x80, 0x1FFFF)]))
            for _ in range(200)
        )
        .encode("utf-8", "ignore")
        .decode()
        for _ in range(100)
    ]
    anything = ["".join(c for c in text if not 0xD800 <= ord(c) < 0xE000) for text in anything]
    texts = [*MIXED, *anything]
    assert count_words(*(stem_text(text, language) for text in texts)) == count_words(*texts)


def test_words_after_emoji_and_symbols_are_highlighted_themselves():
    PostFactory(title="", body=f"{MIXED[1]} y más canciones")
    (post,) = search_posts("canción niño", viewer=AnonymousUser(), offset=0, limit=20)
    assert "<mark>Canciones</mark> 🎶 para <mark>niños</mark>" in post.snippet
    assert "más <mark>canciones</mark>" in post.snippet


@pytest.mark.parametrize("language", ["en", "es"], ids=["en", "es"])
def test_stemming_line_by_line_gives_the_stems_of_the_whole_text(language):
    """stem_text stems (and remembers) each line alone: a newline separates words, so the result must be
    that of the whole text's words, blank and wordless lines included."""
    from blog.search import _stem_line

    text = "\n".join(["Running tests\r", "", "  ", *MIXED, "- *cafés* y niños\n\n## Títulos", "—", "end"])
    assert stem_text(text, language) == _stem_line(text, language)
    assert stem_text(text, language).split()[:2] == (
        ["run", "test"] if language == "en" else ["running", "tests"]
    )
