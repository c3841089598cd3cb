"""EXPLAIN ANALYZE of the keys query of each list of posts (the query that cuts a page: see
flasky_project.pagination.window), as the pages build it, on a benchmark database.

    .venv/bin/python bench/explain_lists.py --database flasky_bench_1000000 [--only Home] [--plans] [--runs 3]

Prints each list's execution time (the best of ``--runs``, after one run that warms the cache) and, with
``--plans``, the plans. Read-only: it runs EXPLAIN ANALYZE on SELECTs.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path.cwd() if (Path.cwd() / "manage.py").exists() else Path(__file__).resolve().parent.parent
PER_PAGE = 20


def configure(database):
    os.environ.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "explain-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
            "STATICFILES_MANIFEST": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flasky_project.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def lists():
    """(name, keys queryset, page number) for each list, built as the pages and the API build them."""
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Count

    from accounts.backends import RoleBackend
    from accounts.models import User
    from blog.models import Post, PostTag
    from social.models import Block, Follow

    anonymous = AnonymousUser()

    def logged_in(users):
        # Loaded as the session's user is, with what the visibility rule reads with it (ViewerFacts).
        user = users.first()
        return user and RoleBackend().get_user(user.pk)

    reader = logged_in(User.objects.filter(pk__in=Follow.objects.values("follower")[:1]))
    api_reader = User.objects.get(pk=reader.pk)
    blocker = logged_in(User.objects.filter(pk__in=Block.objects.values("blocker")[:1]))
    busy = Post.objects.values("author").annotate(n=Count("pk")).order_by("-n").first()["author"]
    busy = User.objects.get(pk=busy)
    tag = PostTag.objects.values("tag").annotate(n=Count("pk")).order_by("-n").first()

    def page(posts, user, by_author=False):  # blog.listing.post_page's queryset
        return posts.visible_to(user, by_author=by_author).for_list().flag_muted_words(user)

    cases = [
        ("Home, anonymous, page 1", page(Post.objects.all(), anonymous), 1),
        ("Home, anonymous, page 1,000", page(Post.objects.all(), anonymous), 1000),
        ("Home, logged in, page 1", page(Post.objects.all(), reader), 1),
        ("Home, logged in, page 1,000", page(Post.objects.all(), reader), 1000),
        ("Followed timeline, page 1", page(Post.objects.followed_by(reader), reader, by_author=True), 1),
        ("Followed timeline, page 5", page(Post.objects.followed_by(reader), reader, by_author=True), 5),
        (f"Profile ({busy.username}), anonymous, page 1", page(Post.objects.by(busy), anonymous), 1),
        (f"Profile ({busy.username}), logged in, page 5", page(Post.objects.by(busy), reader), 5),
        # A token's user is loaded without the facts (api.authentication): the rule's subqueries.
        ("API post list (token), page 1", Post.objects.visible_to(api_reader).for_list(), 1),
        ("API post list (token), page 1,000", Post.objects.visible_to(api_reader).for_list(), 1000),
    ]
    if blocker is not None:
        cases.append(("Home, reader with blocks, page 1,000", page(Post.objects.all(), blocker), 1000))
    if tag is not None:
        tagged = Post.objects.tagged(tag["tag"])
        cases.append((f"Tag ({tag['n']} posts), anonymous, page 1", page(tagged, anonymous), 1))
        cases.append((f"Tag ({tag['n']} posts), logged in, page 20", page(tagged, reader), 20))
    return cases


def explain(queryset, number, runs):
    from django.db import connection

    start = (number - 1) * PER_PAGE
    keys = queryset.values_list("pk", flat=True)[start : start + PER_PAGE + 1]
    sql, params = keys.query.sql_with_params()
    best, plan = None, None
    with connection.cursor() as cursor:
        for _ in range(runs + 1):
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            lines = [row[0] for row in cursor.fetchall()]
            took = float(lines[-1].split(":")[1].split()[0])
            if plan is None or took < best:
                best, plan = took, lines
    return best, plan


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--only", default="")
    parser.add_argument("--plans", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    configure(options.database)
    print("| List (keys query) | ms |\n|---|---|")
    for name, queryset, number in lists():
        if options.only.lower() not in name.lower():
            continue
        took, plan = explain(queryset, number, options.runs)
        print(f"| {name} | {took:.1f} |")
        if options.plans:
            print("\n".join("    " + line for line in plan))


if __name__ == "__main__":
    main()
