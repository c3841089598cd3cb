"""fakedata's insert_rows: on SQLite its own executemany INSERT, elsewhere bulk_create; either way the rows
must read back as the ORM would have stored them, with the other fields' defaults, and the ids in order."""

from datetime import UTC, datetime

import pytest

from accounts.models import User
from blog.models import Post, PostKind
from flasky_project.fakedata import insert_rows
from social.models import Follow

pytestmark = pytest.mark.django_db


def test_rows_read_back_as_the_orm_stores_them_and_the_ids_are_in_order():
    author = User.objects.create(username="writer", email="writer@example.com")
    when = datetime(2025, 3, 4, 5, 6, 7, 891011, tzinfo=UTC)
    rows = [(author.pk, f"Title {n}", f"Body {n}", f"<p>Body {n}</p>", "es", when, when) for n in range(3)]
    fields = ("author_id", "title", "body", "body_html", "language", "created", "updated")
    ids = insert_rows(Post, fields, rows)
    posts = Post.objects.in_bulk(ids)
    assert [posts[pk].title for pk in ids] == ["Title 0", "Title 1", "Title 2"]
    post = posts[ids[1]]
    assert (post.author, post.body_html, post.language, post.created, post.updated) == (
        author,
        "<p>Body 1</p>",
        "es",
        when,
        when,
    )
    assert post.kind == PostKind.POST and post.moderation == ""  # the defaults
    assert Post.objects.filter(created=when).count() == 3  # stored as the ORM queries it


def test_conflicting_rows_are_skipped_when_asked():
    one, two = (User.objects.create(username=f"u{n}", email=f"u{n}@example.com") for n in range(2))
    when = datetime(2025, 1, 1, tzinfo=UTC)
    fields = ("follower_id", "followed_id", "created")
    assert insert_rows(Follow, fields, [(one.pk, two.pk, when)], ignore_conflicts=True) is None
    insert_rows(Follow, fields, [(one.pk, two.pk, when), (two.pk, one.pk, when)], ignore_conflicts=True)
    assert sorted(Follow.objects.values_list("follower_id", "followed_id")) == sorted(
        [(one.pk, two.pk), (two.pk, one.pk)]
    )
