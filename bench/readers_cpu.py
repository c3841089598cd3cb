"""One page read by several logged-in readers in turn, in one process: this process's CPU milliseconds per
request for each (the database's time is not counted). What a page costs a plain member, the post's author
and a moderator differs by the actions each is offered, so each is measured on its own.

    .venv/bin/python bench/readers_cpu.py --database flasky_x --path /post/209/ --users 1,78,300
        [--requests 100] [--profile 40]

Runs with bench/profile_api.py's production settings (REDIS_URL, database 7 by default); the first requests
warm the caches and are not counted. The users are primary keys (bench/profile_api.py picks its own reader).
"""

import argparse

from profile_api import configure, measure


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--users", required=True, help="Comma-separated primary keys of the readers.")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--profile", type=int, default=0, help="print this many lines of each profile")
    parser.add_argument("--save", default="", help="write each profile to SAVE.<pk>.prof (for pstats)")
    options = parser.parse_args()
    configure(options.database)
    from django.test import Client

    from accounts.models import User

    for pk in options.users.split(","):
        user = User.objects.get(pk=int(pk))
        client = Client()
        client.force_login(user)
        print(f"{options.path} as {user.username} (pk {user.pk}, {user.role}): ", end="", flush=True)
        clock, cpu = measure(
            client,
            options.path,
            {},
            requests=options.requests,
            warmup=options.warmup,
            profile=options.profile,
            save=f"{options.save}.{user.pk}.prof" if options.save else "",
        )
        print(f"{clock:.2f} ms per request, {cpu:.2f} ms of this process's CPU")


if __name__ == "__main__":
    main()
