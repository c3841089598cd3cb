"""Each page of Flasky as a share of the framework's own ceiling, measured side by side in one run.

    .venv/bin/python bench/compare.py --database flasky_bench_100000 [--rounds 3] [--duration 10]
                                      [--connections 4] [--workers 2] [--only Home]

Two gunicorns with the same settings (deploy/gunicorn.conf.py, the same worker count): the site (production
settings, PostgreSQL, Redis) and the ceiling (bench/ceiling_app.py: Django answering "hello" with no
middleware). For each page, wrk drives them in interleaved rounds (ceiling, site, ceiling, site, ...), so a
drift of the machine's speed touches both alike; the table gives the site's requests per second as a
percentage of the ceiling measured beside it (the median of the rounds), and the site's p50 and p99.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import PYTHON, ROOT, environment, log_in, pick_targets, wrk  # noqa: E402

SITE_PORT, CEILING_PORT = 8097, 8098
TARGETS = {"html": 10.0, "api": 20.0}  # issue 14: every HTML page >= 10% of the ceiling, the API list >= 20%


def start(module, port, env, workers):
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "deploy/gunicorn.conf.py", module],
        env={
            **env,
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_MAX_REQUESTS": "0",
            "GUNICORN_LOG_LEVEL": "warning",
        },
        cwd=ROOT,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit(f"{module} did not start on port {port}")


def serve_site(database, port, workers, redis_url=None):
    """The site on ``database`` (migrated, its post page given its comments), served on ``port`` with the
    benchmark's production settings and logged in as run.py's reader: (the gunicorn, its base address, its
    pages, the environment it runs in). ``redis_url``: a Redis database of its own."""
    env = environment(database)
    if redis_url is not None:
        env["REDIS_URL"] = redis_url
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    targets = pick_targets(env)
    targets["post_comments"] = give_post_comments(env, targets["post"])
    process = start("flasky_project.wsgi", port, env, workers)
    base = f"http://127.0.0.1:{port}"
    try:
        session, token = log_in(base, targets["reader"])
    except BaseException:
        process.kill()
        raise
    return process, base, pages(targets, session, token), env


def pages(targets, session, token):
    logged_in = [f"Cookie: {session}"]
    all_posts = [f"Cookie: {session.replace('show_followed=1', 'show_followed=')}"]
    profile = (f"Busy profile ({targets['busy_posts']} posts)", f"/user/{targets['busy']}/")
    post = (f"Post page ({targets['post_comments']} comments)", f"/post/{targets['post']}/")
    return [
        ("Home, anonymous", "/", [], "html"),
        ("Home, logged in (All)", "/", all_posts, "html"),
        ("Home, page 1,000 (anonymous)", "/?page=1000", [], "html"),
        ("Home, page 1,000, logged in (All)", "/?page=1000", all_posts, "html"),
        ("Followed timeline, logged in", "/", logged_in, "html"),
        (f"{profile[0]}, anonymous", profile[1], [], "html"),
        (f"{profile[0]}, logged in", profile[1], logged_in, "html"),
        (f"{post[0]}, anonymous", post[1], [], "html"),
        (f"{post[0]}, logged in", post[1], logged_in, "html"),
        ("Search (q=people), anonymous", "/search/?q=people", [], "html"),
        ("Search (q=people), logged in", "/search/?q=people", logged_in, "html"),
        ("Talks, anonymous", "/talks/", [], "html"),
        ("Talks, logged in", "/talks/", logged_in, "html"),
        ("Notifications, logged in", "/notifications/", [f"Cookie: {session}"], "html"),
        ("API post list (token)", "/api/v1/posts/", [f"Authorization: Bearer {token}"], "api"),
    ]


def give_post_comments(env, post_id, count=30):
    """Make the benchmark's post page one with ``count`` published comments (the issue's "post page with 30
    comments"): fakedata spreads its comments thinly (9 at most on one post at 1M), so comments by other
    members are added to the busiest post until it has ``count``. Returns how many it has."""
    code = f"""
from accounts.models import User
from blog.models import Comment, Post
post = Post.objects.get(pk={post_id})
have = Comment.objects.filter(post=post, approved=True).count()
authors = list(User.objects.exclude(pk=post.author_id).order_by("pk")[:{count}])
for number, author in enumerate(authors[: max(0, {count} - have)]):
    body = f"Benchmark comment {{number}}: **agreed**, see the docs."
    Comment.objects.create(post=post, author=author, body=body, approved=True)
print(Comment.objects.filter(post=post, approved=True).count())
"""
    command = [PYTHON, "manage.py", "shell", "-c", code]
    output = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return int(output.stdout.strip().splitlines()[-1])


def reachable(url, headers):
    request = urllib.request.Request(url, headers=dict(header.split(": ", 1) for header in headers))
    try:
        return urllib.request.urlopen(request, timeout=10).status == 200
    except OSError:
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", default="", help="Measure only the pages whose name contains this.")
    options = parser.parse_args()
    site, site_base, site_pages, env = serve_site(options.database, SITE_PORT, options.workers)
    ceiling = start(
        "ceiling_app:application", CEILING_PORT, {**env, "PYTHONPATH": str(ROOT / "bench")}, options.workers
    )
    ceiling_base = f"http://127.0.0.1:{CEILING_PORT}"
    try:
        load = os.getloadavg()
        print(
            f"Load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {options.workers} workers, "
            f"wrk -c{options.connections}, {options.rounds} interleaved rounds of {options.duration} s\n"
        )
        print("| Page | Site req/s | Ceiling req/s | % of ceiling | target | p50 | p99 | non-2xx |")
        print("|---|---|---|---|---|---|---|---|")
        for name, path, headers, kind in site_pages:
            if options.only.lower() not in name.lower():
                continue
            if not reachable(site_base + path, headers):
                print(f"| {name} | (no such page) | | | | | | |", flush=True)
                continue
            wrk(ceiling_base + path, [], 2, options.connections)  # warm up both
            wrk(site_base + path, headers, 2, options.connections)
            shares, site_rates, ceiling_rates, p50s, p99s, errors = [], [], [], [], [], 0
            for _ in range(options.rounds):
                ceiling_rps, *_ = wrk(ceiling_base + path, [], options.duration, options.connections)
                rps, p50, p99, failed = wrk(site_base + path, headers, options.duration, options.connections)
                shares.append(100 * rps / ceiling_rps)
                site_rates.append(rps)
                ceiling_rates.append(ceiling_rps)
                p50s.append(p50)
                p99s.append(p99)
                errors += failed
            share = statistics.median(shares)
            goal = TARGETS[kind]
            print(
                f"| {name} | {statistics.median(site_rates):.0f} | {statistics.median(ceiling_rates):.0f} | "
                f"{share:.1f}% | {'≥' if share >= goal else '<'} {goal:.0f}% | {p50s[len(p50s) // 2]} | "
                f"{p99s[len(p99s) // 2]} | {errors} |",
                flush=True,
            )
        load = os.getloadavg()
        print(f"\nLoad average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    finally:
        for process in (site, ceiling):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
