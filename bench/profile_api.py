"""One page of the site or the API, requested many times in one process: milliseconds per request (by the
clock, and of this process's CPU, which a busy machine inflates less), and where the CPU goes (cProfile). No
gunicorn, no wrk: what one request costs the server's Python and database.

    .venv/bin/python bench/profile_api.py --database flasky_bench_1000000 [--path /api/v1/posts/]
        [--auth token|password|session|none] [--requests 200] [--profile 40] [--round-trips]
        [--cookie show_followed=1]

Runs with the production settings (DEBUG off, PostgreSQL, Redis: REDIS_URL, database 7 by default) as the
user bench/run.py logs in (one who follows 50 people); the first requests warm the caches and are not
counted. --round-trips also prints the round trips to Redis of one request (a pipeline or a multi-get is
one), each as its command, its first key and its number of arguments.
"""

import argparse
import base64
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

# The checkout to measure: the current directory when it holds the site (so another checkout's code can be
# measured with this script, for a before and after), else this script's.
ROOT = Path.cwd() if (Path.cwd() / "manage.py").exists() else Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))


def configure(database):
    from run import environment  # the benchmark's production settings (bench/run.py)

    redis = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/7")
    os.environ.update(environment(database))
    os.environ["ALLOWED_HOSTS"] += ",testserver"  # Django's test Client
    os.environ["REDIS_URL"] = redis
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flasky_project.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def headers_for(auth):
    from django.test import Client

    from accounts.models import User
    from api.tokens import make_token
    from social.models import Follow

    reader = User.objects.filter(pk__in=Follow.objects.values("follower")[:1]).get()
    client = Client()
    if auth == "token":
        return client, {"HTTP_AUTHORIZATION": f"Bearer {make_token(reader)}"}
    if auth == "password":
        basic = base64.b64encode(f"{reader.email}:password".encode()).decode()
        return client, {"HTTP_AUTHORIZATION": f"Basic {basic}"}
    if auth == "session":
        client.force_login(reader)
    return client, {}


def measure(client, path, headers, *, requests, warmup, profile=0, save=""):
    """Request ``path`` ``warmup`` times (each must answer 200), then ``requests`` times timed: returns
    (milliseconds per request by the clock, of this process's CPU). With ``profile``, as many requests again
    under cProfile, whose top lines are printed (by cumulative and by own time) and, with ``save``, written
    to that file for pstats."""
    for _ in range(warmup):
        response = client.get(path, **headers)
        assert response.status_code == 200, (response.status_code, response.content[:300])
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(requests):
        client.get(path, **headers)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    if profile or save:
        # CPU time, not the clock: on a busy machine the clock counts other processes' turns.
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(requests):
            client.get(path, **headers)
        profiler.disable()
        if save:
            profiler.dump_stats(save)
        if profile:
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(profile)
            stats.sort_stats("tottime").print_stats(profile)
    return elapsed / requests * 1000, cpu / requests * 1000


def print_round_trips(client, path, headers):
    """The commands one request sends to Redis, one line per round trip (redis-py sends a pipeline, or a
    command, with one call of its connection's send_packed_command)."""
    from redis.connection import AbstractConnection

    sent = []
    send = AbstractConnection.send_packed_command

    def counted(connection, command, check_health=True):
        parts = command if isinstance(command, list) else [command]
        sent.append(b"".join(bytes(part) for part in parts))
        return send(connection, command, check_health)

    AbstractConnection.send_packed_command = counted
    try:
        client.get(path, **headers)
    finally:
        AbstractConnection.send_packed_command = send
    print(f"{path}: {len(sent)} round trips to Redis")
    for command in sent:
        words = command.split(b"\r\n")[2::2]  # (RESP: the count, then each word's length and the word)
        print(f"    {words[0].decode()} {words[1].decode(errors='replace')} ({len(words) - 1} arguments)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--path", default="/api/v1/posts/")
    parser.add_argument("--auth", choices=["token", "password", "session", "none"], default="token")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--profile", type=int, default=0, help="print this many lines of the profile")
    parser.add_argument("--save", default="", help="write the profile to this file (for pstats)")
    parser.add_argument("--round-trips", action="store_true", help="print one request's round trips to Redis")
    parser.add_argument("--cookie", action="append", default=[], help="name=value, e.g. show_followed=1")
    options = parser.parse_args()
    configure(options.database)
    client, headers = headers_for(options.auth)
    for cookie in options.cookie:
        name, _, value = cookie.partition("=")
        client.cookies[name] = value
    if options.round_trips:
        client.get(options.path, **headers)  # (warm)
        print_round_trips(client, options.path, headers)
    print(f"{options.path} ({options.auth}): ", end="", flush=True)
    clock, cpu = measure(
        client,
        options.path,
        headers,
        requests=options.requests,
        warmup=options.warmup,
        profile=options.profile,
        save=options.save,
    )
    print(f"{clock:.2f} ms per request, {cpu:.2f} ms of this process's CPU (the database's is not counted)")


if __name__ == "__main__":
    main()
