"""Where the machine's CPU goes while wrk drives one page of the site: milliseconds of CPU per request for
each kind of process (the site's gunicorn, PostgreSQL's backends, Redis, the kernel's workers).

    .venv/bin/python bench/cpu_split.py --database flasky_bench_100000 [--only "logged in"] [--duration 8]

The site is served as bench/compare.py serves it (production settings, 2 workers, wrk -c4), the pages are
compare.py's. Each process's user and system time is read from /proc before and after each page's run; a
process that ends during the run takes its time with it (a database connection closed at CONN_MAX_AGE),
so a page whose line lacks PostgreSQL is one whose backend was replaced meanwhile: run it again. wrk's own
time is not counted. Compare with bench/compare.py's ceiling: at 8,000 requests a second on 2 cores the
framework's "hello" takes 0.25 ms of the machine per request, everything included.
"""

import argparse
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare import SITE_PORT, give_post_comments, pages, start  # noqa: E402
from run import environment, log_in, pick_targets, wrk  # noqa: E402

_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_by_kind():
    """{kind of process: seconds of CPU it has used}, over every process now running."""
    seconds = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # (ended meanwhile)
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        used = (int(fields[11]) + int(fields[12])) / _TICKS
        if "gunicorn" in command:
            name = "gunicorn (site)" if "flasky_project" in command else "gunicorn (other)"
        elif name.startswith("postgres") or command.startswith("postgres:"):
            name = "postgres"
        elif name.startswith("kworker"):
            name = "kernel workers"
        seconds[name] = seconds.get(name, 0) + used
    return seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--only", default="", help="Measure only the pages whose name contains this.")
    options = parser.parse_args()
    env = environment(options.database)
    targets = pick_targets(env)
    targets["post_comments"] = give_post_comments(env, targets["post"])
    site = start("flasky_project.wsgi", SITE_PORT, env, 2)
    base = f"http://127.0.0.1:{SITE_PORT}"
    try:
        session, token = log_in(base, targets["reader"])
        for name, path, headers, _kind in pages(targets, session, token):
            if options.only.lower() not in name.lower():
                continue
            wrk(base + path, headers, 2, 4)  # warm up
            before = cpu_by_kind()
            rate, p50, _p99, _failed = wrk(base + path, headers, options.duration, 4)
            after = cpu_by_kind()
            requests = rate * options.duration
            print(f"{name}: {rate:.0f} req/s, p50 {p50}")
            used = sorted(((after[kind] - before.get(kind, 0), kind) for kind in after), reverse=True)
            for seconds, kind in used:
                if seconds >= 0.05:
                    print(f"    {kind:<18} {1000 * seconds / requests:6.3f} ms a request")
            total = sum(max(seconds, 0) for seconds, _kind in used)
            print(f"    {'in all':<18} {1000 * total / requests:6.3f} ms a request", flush=True)
    finally:
        site.send_signal(signal.SIGTERM)
        site.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
