"""Time a few pages in one process with Django's test Client, warm cache: milliseconds per request.

No gunicorn, no wrk: this measures what the view and its templates cost (the part the cached cards of
blog.cards save), on whatever database DATABASE_URL names (SQLite with fakedata is enough). Run it with
production-like settings so templates and the cards' key digest are cached as they are in production:

    DEBUG=0 DATABASE_URL=sqlite:////tmp/bench.sqlite3 SECRET_KEY=<50 random characters> \\
        ALLOWED_HOSTS=testserver SECURE_SSL_REDIRECT=0 STATICFILES_MANIFEST=0 LOG_LEVEL=WARNING \\
        .venv/bin/python bench/render_once.py [--rounds 200]

(DEBUG=0 explicitly: dev.py's .env sets DEBUG=1, and the environment wins over it.)

Prints, for each page, the median and the 90th percentile of the per-request times over the rounds, and the
median CPU time of the process per request (steadier than the wall clock on a busy machine: it leaves out
the time spent waiting for a core; SQLite runs in the process, so its work is counted).
"""

import argparse
import os
import pathlib
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flasky_project.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from blog.models import Post  # noqa: E402


def timings(client, path, rounds):
    for _ in range(5):  # warm the caches (templates, cards, sessions)
        assert client.get(path).status_code == 200, path
    wall, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(path)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    wall.sort()
    return statistics.median(wall), wall[int(len(wall) * 0.9)], statistics.median(cpu)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args().rounds
    anonymous = Client()
    member = Client()
    user = get_user_model().objects.filter(is_active=True).order_by("pk").first()
    member.force_login(user)
    busy = Post.objects.for_list().order_by("-comment_count").first()
    pages = [
        ("home, anonymous", anonymous, "/"),
        ("home, logged in", member, "/"),
        ("home, Spanish", Client(headers={"accept-language": "es"}), "/"),
        ("post page, busiest", anonymous, busy.get_absolute_url()),
    ]
    print(f"| page ({rounds} rounds) | median ms | p90 ms | median CPU ms |")
    print("|---|---|---|---|")
    for name, client, path in pages:
        median, p90, cpu = timings(client, path, rounds)
        print(f"| {name} | {median:.1f} | {p90:.1f} | {cpu:.1f} |")


if __name__ == "__main__":
    main()
