"""What one read from Redis costs this process's CPU, through the site's cache client: a GET of a missing
key, and a multi-get of the keys a token's list of posts reads (after requesting it once). With
``--no-hiredis`` redis-py parses replies in Python, as it does without the hiredis package.

    REDIS_URL=redis://127.0.0.1:6379/12 .venv/bin/python bench/redis_reads.py --database flasky_bench_100000 \
        [--no-hiredis]

Run it a few times each way, alternately: single figures drift with the machine's load.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def cpu_per_call(function, calls):
    started = time.thread_time()
    for _ in range(calls):
        function()
    return (time.thread_time() - started) / calls * 1e6


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--no-hiredis", action="store_true")
    parser.add_argument("--calls", type=int, default=2000)
    options = parser.parse_args()
    if options.no_hiredis:
        sys.modules["hiredis"] = None  # (redis-py then finds no hiredis and parses in Python)

    import profile_api  # noqa: PLC0415 - after the choice of parser

    profile_api.configure(options.database)
    import redis.utils  # noqa: PLC0415
    from django.core.cache import cache  # noqa: PLC0415

    client, headers = profile_api.headers_for("token")
    client.get("/api/v1/posts/", **headers)  # (keeps the page and the caller's entries)
    keys = [key.decode() for key in cache._cache.get_client(None).keys("*")][:30]
    redis_client = cache._cache.get_client(None)
    multi = statistics.median(cpu_per_call(lambda: redis_client.mget(keys), options.calls) for _ in range(5))
    single = statistics.median(
        cpu_per_call(lambda: redis_client.get("no-such-key"), options.calls) for _ in range(5)
    )
    parser_name = "hiredis" if redis.utils.HIREDIS_AVAILABLE else "Python"
    print(f"{parser_name} parser: GET {single:.1f} µs, MGET of {len(keys)} keys {multi:.1f} µs of CPU")


if __name__ == "__main__":
    main()
