"""The cost of each middleware layer and context processor on one page, in one process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/flasky_bench_100000 REDIS_URL=redis://127.0.0.1:6379/6 \
        .venv/bin/python bench/middleware_layers.py [--path /] [--requests 100] [--profile]

Production settings (DEBUG off), the database and cache of the environment. A probe is put between every
two layers of MIDDLEWARE; a layer's own cost is the time inside its probe less the time inside the next
one. The innermost line is URL resolution, the process_view hooks and the view (its template and the
context processors); the view alone is timed again by calling it with the request as the stack hands it
over. Each context processor is then called on that request, with the values the navbar reads made to
compute (the lazy counts). Times are the median CPU time of the process's thread over the requests
(other load on the machine and waits on the database do not count; queries are counted instead), in µs,
for a visitor, a visitor served from the page cache, and a logged-in reader (the first user, who follows
people).
--profile prints cProfile's top functions for one request of each kind instead.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(
    {
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdefghijklmnop",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATICFILES_MANIFEST": "0",
        "API_THROTTLE_USER": "1000000/minute",  # (as bench/run.py: the limit is counted, not reached)
        "API_THROTTLE_ANON": "1000000/minute",
        "DJANGO_SETTINGS_MODULE": "flasky_project.settings",
    }
)

import django  # noqa: E402

TOTALS = {}  # probe index -> list of (CPU seconds, queries) spent inside it, one per request
CAPTURED = {}
QUERIES = [0]


def count_queries(execute, sql, params, many, context):
    QUERIES[0] += 1
    return execute(sql, params, many, context)


def clock():
    # This thread's CPU time: the machine's other load (and waiting on the database) does not count; the
    # queries are counted instead.
    return time.thread_time()


class Probe:
    index = 0

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started, queries = clock(), QUERIES[0]
        if self.index == LAST_PROBE:
            CAPTURED["request"] = request
        response = self.get_response(request)
        TOTALS.setdefault(self.index, []).append((clock() - started, QUERIES[0] - queries))
        return response


LAST_PROBE = 0


def instrumented(middleware):
    """MIDDLEWARE with a probe before each layer and one around the view."""
    global LAST_PROBE
    layers = []
    for index, name in enumerate(middleware):
        probe = type(f"Probe{index}", (Probe,), {"index": index})
        globals()[probe.__name__] = probe
        layers += [f"{__name__}.{probe.__name__}", name]
    LAST_PROBE = len(middleware)
    last = type(f"Probe{LAST_PROBE}", (Probe,), {"index": LAST_PROBE})
    globals()[last.__name__] = last
    return [*layers, f"{__name__}.{last.__name__}"]


def quiet_logging():
    import logging

    for handler in logging.getLogger().handlers + logging.getLogger("flasky.request").handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(open(os.devnull, "w"))  # noqa: SIM115 - for the life of the process


def measure(client, path, requests, middleware, headers):
    TOTALS.clear()
    walls = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        walls.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    medians, queries = [], []
    for index in range(len(middleware) + 1):
        medians.append(statistics.median(seconds for seconds, _ in TOTALS[index]))
        queries.append(statistics.median(count for _, count in TOTALS[index]))
    rows = [
        (name, medians[i] - medians[i + 1], queries[i] - queries[i + 1]) for i, name in enumerate(middleware)
    ]
    rows.append(("resolve + process_view hooks + view", medians[-1], queries[-1]))
    return rows, medians[0], queries[0], statistics.median(walls)


def time_call(function, repeat=200):
    samples = []
    for _ in range(repeat):
        started, queries = clock(), QUERIES[0]
        function()
        samples.append((clock() - started, QUERIES[0] - queries))
    return statistics.median(s for s, _ in samples), statistics.median(q for _, q in samples)


def view_and_processors(path):
    from django.template import engines
    from django.urls import resolve
    from django.utils.module_loading import import_string

    request = CAPTURED["request"]
    match = resolve(path)
    rows = [("the view alone", *time_call(lambda: match.func(request, *match.args, **match.kwargs), 50))]
    for name in engines["django"].engine.context_processors:
        processor = import_string(name)

        def call(processor=processor):
            for value in processor(request).values():
                for attribute in ("count", "everyone", "url"):
                    getattr(value, attribute, None)
                str(value)

        rows.append((f"  {name}", *time_call(call)))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--path", default="/")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--profile", action="store_true")
    options = parser.parse_args()

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import override_settings

    from accounts.models import User

    quiet_logging()
    from django.db import connection

    connection.ensure_connection()
    connection.execute_wrappers.append(count_queries)
    middleware = list(settings.MIDDLEWARE)
    reader = User.objects.order_by("pk").first()
    logged_in = Client()
    logged_in.force_login(reader)
    kinds = [
        ("visitor, rendered", Client(), {"FLASKY_PAGE_CACHE_SECONDS": 0}, {}),
        ("visitor, from the page cache", Client(), {}, {}),
        ("logged in", logged_in, {}, {}),
    ]
    if options.path.startswith("/api/"):  # the API's callers: a token's (most), then the session's
        from api.tokens import make_token

        token = {"Authorization": f"Bearer {make_token(reader)}"}
        kinds = [("a token's caller", Client(), {}, token), ("logged in", logged_in, {}, {})]
    if options.profile:
        for title, client, changes, headers in kinds:
            with override_settings(**changes):
                client.get(options.path, headers=headers)
                profiler = cProfile.Profile()
                profiler.runcall(client.get, options.path, headers=headers)
            print(f"\n=== {title}: {options.path}")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        return

    cache.clear()
    with override_settings(MIDDLEWARE=instrumented(middleware)):
        for title, client, changes, headers in kinds:
            with override_settings(**changes):
                for _ in range(20):  # warm up: templates compiled, connections open, caches filled
                    client.get(options.path, headers=headers)
                rows, total, queries, wall = measure(
                    client, options.path, options.requests, middleware, headers
                )
                if not title.startswith(("visitor, from", "a token")):
                    rows += view_and_processors(options.path)
            print(
                f"\n{title}: GET {options.path}, median of {options.requests}: "
                f"{total * 1e3:.2f} ms of CPU ({wall * 1e3:.2f} ms of wall time), {queries:g} queries"
            )
            for name, seconds, count in rows:
                print(f"  {seconds * 1e6:9.0f} µs {count:3g} q  {name}")


if __name__ == "__main__":
    main()
