"""Each page's p50 at two sizes of the database, measured side by side in one run (issue 14: p50 at
1,000,000 posts within 1.2x of 100,000).

    .venv/bin/python bench/sizes.py --small flasky_bench_100000 --large flasky_bench_1000000 [--rounds 3]
        [--duration 4] [--connections 4] [--workers 2] [--only Home]

compare.py measures one database a run, so the two sizes were measured minutes apart, and the machine's
speed drifted between them by more than the ratio allowed (a p50 at four connections follows the machine as
requests a second do). Here two gunicorns of the site (the same settings as compare.py's, each with a Redis
database of its own) serve the two databases at once, and wrk drives them in interleaved rounds (small,
large, small, ...) for each page; the table gives each size's median p50 and p99 and the ratio of the p50s.
"""

import argparse
import os
import re
import signal
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare import reachable, serve_site  # noqa: E402
from run import wrk  # noqa: E402

PORTS = {"small": 8095, "large": 8096}
REDIS_DATABASES = {"small": 4, "large": 5}
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def milliseconds(text):
    """wrk's latency ("812.00us", "3.70ms", "1.02s") in milliseconds."""
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", required=True)
    parser.add_argument("--large", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=4)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", default="", help="Measure only the pages whose name contains this.")
    options = parser.parse_args()
    sites, processes = {}, []
    try:
        for size in ("small", "large"):
            redis_url = f"redis://127.0.0.1:6379/{REDIS_DATABASES[size]}"
            process, base, site_pages, _env = serve_site(
                getattr(options, size), PORTS[size], options.workers, redis_url
            )
            processes.append(process)
            sites[size] = (base, site_pages)
        load = os.getloadavg()
        print(
            f"Load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
            f"{options.workers} workers each, wrk -c{options.connections}, "
            f"{options.rounds} interleaved rounds of {options.duration} s; "
            f"small: {options.small}, large: {options.large}\n"
        )
        print("| Page (small's) | p50 small | p50 large | large / small | p99 small | p99 large |")
        print("|---|---|---|---|---|---|")
        for small_page, large_page in zip(sites["small"][1], sites["large"][1], strict=True):
            name = small_page[0]
            if options.only.lower() not in name.lower():
                continue
            addresses = {
                size: (sites[size][0] + page[1], page[2])
                for size, page in (("small", small_page), ("large", large_page))
            }
            if not all(reachable(url, headers) for url, headers in addresses.values()):
                print(f"| {name} | (no such page) | | | | |", flush=True)
                continue
            for url, headers in addresses.values():  # warm up both
                wrk(url, headers, 2, options.connections)
            p50s, p99s = {"small": [], "large": []}, {"small": [], "large": []}
            for _ in range(options.rounds):
                for size, (url, headers) in addresses.items():
                    _rps, p50, p99, _failed = wrk(url, headers, options.duration, options.connections)
                    p50s[size].append(milliseconds(p50))
                    p99s[size].append(milliseconds(p99))
            small, large = statistics.median(p50s["small"]), statistics.median(p50s["large"])
            print(
                f"| {name} | {small:.2f}ms | {large:.2f}ms | {large / small:.2f}× | "
                f"{statistics.median(p99s['small']):.2f}ms | {statistics.median(p99s['large']):.2f}ms |",
                flush=True,
            )
        load = os.getloadavg()
        print(f"\nLoad average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
