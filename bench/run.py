"""Drive the pages of a loaded benchmark database with wrk through gunicorn, and print a Markdown table.

    .venv/bin/python bench/run.py --database flasky_bench_1000000 [--duration 20] [--connections 8]

The database gets any migration it lacks first. Pages: the home page (anonymous) and its page 1,000, the
Followed timeline (logged in), a busy profile, a post page with comments, the search page, and the API's
post list (token). Each is warmed up, then measured with wrk; requests per second and the 50th and 99th
percentile latencies come from wrk's own report.
"""

import argparse
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from base64 import b64encode
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PORT = 8099


def environment(database):
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "REDIS_URL": "redis://127.0.0.1:6379/3",
        "TASKS_BACKEND": "database",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATICFILES_MANIFEST": "0",
        "LOG_LEVEL": "WARNING",
        "REQUEST_LOG_LEVEL": "WARNING",
        "API_THROTTLE_USER": "1000000/minute",
        "API_THROTTLE_ANON": "1000000/minute",
    }


def pick_targets(env):
    """A user who follows 50 people, the busiest author, the post with most comments, a search word."""
    code = """
import json
from django.db.models import Count
from accounts.models import User
from blog.models import Comment, Post
from social.models import Follow
reader = User.objects.filter(pk__in=Follow.objects.values("follower")[:1]).get()
busy = Post.objects.values("author__username").annotate(n=Count("pk")).order_by("-n").first()
post = Comment.objects.values("post").annotate(n=Count("pk")).order_by("-n").first()
print(json.dumps({"reader": reader.email, "busy": busy["author__username"], "busy_posts": busy["n"],
                  "post": post["post"], "post_comments": post["n"]}))
"""
    output = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def log_in(base, email):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/auth/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "login": email, "password": "password"}
    ).encode()
    opener.open(urllib.request.Request(f"{base}/auth/login/", data=data, headers={"Referer": f"{base}/"}))
    cookies = {cookie.name: cookie.value for cookie in jar}
    assert "sessionid" in cookies, "login failed"
    api = urllib.request.Request(
        f"{base}/api/v1/tokens/",
        data=b"",
        method="POST",
        headers={"Authorization": "Basic " + b64encode(f"{email}:password".encode()).decode()},
    )
    api_token = json.loads(urllib.request.urlopen(api).read())["token"]
    return f"sessionid={cookies['sessionid']}; show_followed=1", api_token


def wrk(url, headers, duration, connections):
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rps, percentiles["50"], percentiles["99"], int(errors.group(1)) if errors else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--max-requests",
        type=int,
        default=0,
        help="Recycle a worker after this many requests, as production does (default 0: never, so that the "
        "figures show the steady state rather than workers starting).",
    )
    parser.add_argument("--only", default="", help="Measure only the pages whose name contains this.")
    options = parser.parse_args()
    env = environment(options.database)
    # A database loaded before the latest migrations gets them, as a release would (`manage.py deploy`).
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    targets = pick_targets(env)
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "deploy/gunicorn.conf.py", "flasky_project.wsgi"],
        env={
            **env,
            "WEB_CONCURRENCY": str(options.workers),
            "GUNICORN_BIND": f"127.0.0.1:{PORT}",
            "GUNICORN_MAX_REQUESTS": str(options.max_requests),
        },
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        session, token = log_in(base, targets["reader"])
        pages = [
            ("Home, anonymous", "/", []),
            ("Home, page 1,000 (anonymous)", "/?page=1000", []),
            ("Followed timeline, logged in", "/", [f"Cookie: {session}"]),
            (
                f"Profile of the busiest author ({targets['busy_posts']} posts)",
                f"/user/{targets['busy']}/",
                [],
            ),
            (f"Post page ({targets['post_comments']} comments)", f"/post/{targets['post']}/", []),
            ("Search page (q=people)", "/search/?q=people", []),
            ("API post list (token)", "/api/v1/posts/", [f"Authorization: Bearer {token}"]),
        ]
        print("| Page | Requests/s | p50 | p99 | non-2xx |\n|---|---|---|---|---|")
        for name, path, headers in pages:
            if options.only.lower() not in name.lower():
                continue
            wrk(base + path, headers, 3, options.connections)  # warm caches and connections
            rps, p50, p99, errors = wrk(base + path, headers, options.duration, options.connections)
            print(f"| {name} | {rps:.0f} | {p50} | {p99} | {errors} |", flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
