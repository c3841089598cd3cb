"""The production smoke journey, over real HTTP(S) through nginx: what a new user does on day one.

Run by deploy/smoke/run.sh against two web machines (gunicorn) behind nginx, a db_worker, PostgreSQL with
a streaming replica, Redis, an S3 server and an SMTP sink. It crosses from one web machine to the other
(an upload, a login, a rate limit), makes the replica lag and then stops it, stops Redis, the mail server and
one web machine part-way, and checks that nothing is lost and no error shows.

    python deploy/smoke/journey.py --base https://127.0.0.1:8443 --maildir /tmp/smoke/mail \
        --redis-stop "CMD" --redis-start "CMD" --smtp-stop "CMD" --smtp-start "CMD" \
        --replica-pause "CMD" --replica-resume "CMD" --replica-stop "CMD" --replica-start "CMD" \
        --web-a-stop "CMD" --web-a HOST:PORT --web-b HOST:PORT
"""

import argparse
import base64
import email
import email.policy
import html
import http.cookiejar
import io
import json
import re
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from PIL import Image

PASSWORD = "smoke-test-password-2026"  # noqa: S105 - the throwaway account of this run
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """Cookies, CSRF tokens and redirects, like a browser, over TLS with the smoke test's own certificate."""

    def __init__(self, base):
        self.base = base.rstrip("/")
        self.upstream = None  # the web machine that answered the last request (nginx's X-Smoke-Upstream)
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # a self-signed certificate made for this run
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context), urllib.request.HTTPCookieProcessor(self.jar)
        )

    def request(self, method, path, data=None, headers=None, expect=(200,), backend=None):
        """``backend`` "a" or "b": nginx sends the request to that web machine only (else it balances)."""
        url = path if path.startswith("http") else f"{self.base}{path}"
        body = urllib.parse.urlencode(data).encode() if isinstance(data, dict) else data
        headers = {"Referer": f"{self.base}/", **(headers or {})}
        if backend:
            headers["X-Smoke-Backend"] = backend
        request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310
        try:
            with self.opener.open(request, timeout=30) as response:
                status, text, info = (
                    response.status,
                    response.read().decode("utf-8", "replace"),
                    response.headers,
                )
        except urllib.error.HTTPError as error:
            status, text, info = error.code, error.read().decode("utf-8", "replace"), error.headers
        self.upstream = info.get("X-Smoke-Upstream")
        if status not in expect:
            raise AssertionError(f"{method} {path}: HTTP {status}, expected {expect}\n{text[:1500]}")
        if "Traceback" in text or "Internal Server Error" in text:
            raise AssertionError(f"{method} {path}: an error page was shown\n{text[:1500]}")
        return status, text, info

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post_form(self, page, action, fields, backend=None, **kwargs):
        """Open ``page``, take its CSRF token, and post ``fields`` to ``action`` like the form would."""
        _, html, _ = self.get(page, backend=backend)
        token = CSRF.search(html).group(1)
        return self.request(
            "POST", action, {"csrfmiddlewaretoken": token, **fields}, backend=backend, **kwargs
        )

    def post_multipart(self, page, action, fields, files, backend=None, **kwargs):
        """Like post_form, as multipart/form-data with ``files``: {name: (filename, content type, bytes)}."""
        _, html, _ = self.get(page, backend=backend)
        fields = {"csrfmiddlewaretoken": CSRF.search(html).group(1), **fields}
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields.items()
        ]
        for name, (filename, content_type, content) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.request("POST", action, body, headers, backend=backend, **kwargs)


def step(message):
    print(f"  - {message}", flush=True)


def wait_for_mail(maildir, count, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        messages = sorted(Path(maildir).glob("*.eml"))
        if len(messages) >= count:
            return [
                email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in messages
            ]
        time.sleep(0.5)
    found = len(list(Path(maildir).glob("*.eml")))
    raise AssertionError(f"{count} email(s) expected in {maildir} within {seconds} s; found {found}")


def text_of(message):
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode()
    return ""


def run(command):
    subprocess.run(command, shell=True, check=True)  # noqa: S602 - commands given by run.sh


def picture():
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 40, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def wait_until(check, seconds=15, what="the condition"):
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds} s")
        time.sleep(0.3)


def across_web_machines(options, browser):
    """A login, an upload and a rate limit made on web machine a hold on web machine b."""
    machines = {"a": options.web_a, "b": options.web_b}

    def answered(client, machine):
        assert client.upstream == machines[machine], f"answered by {client.upstream}, not {machines[machine]}"

    step("two web machines: log in on one, stay logged in on the other")
    other = Browser(options.base)
    credentials = {"login": "other@example.com", "password": PASSWORD}
    other.post_form("/auth/login/", "/auth/login/", credentials, backend="a")
    answered(other, "a")
    _, page, _ = other.get("/", backend="b")
    answered(other, "b")
    assert "Hello, other!" in page, "logged out on the other web machine"

    step("an avatar uploaded through one web machine shows on the other, served by the S3 server")
    files = {"avatar_upload": ("me.png", "image/png", picture())}
    browser.post_multipart("/edit-profile/", "/edit-profile/", {"name": "Smoke"}, files, backend="a")
    _, page, _ = browser.get("/user/smoke/", backend="b")
    answered(browser, "b")
    src = html.unescape(re.search(r'<img src="([^"]+)"[^>]*width="256"', page).group(1))
    assert "/flasky-smoke/avatars/" in src and not src.startswith(options.base), src
    with urllib.request.urlopen(src, timeout=10) as response:  # noqa: S310 - the S3 server of this run
        image = Image.open(io.BytesIO(response.read()))
    assert (image.format, image.size) == ("WEBP", (256, 256)), (image.format, image.size)

    step("a post with a picture written through one web machine shows on the other, from the S3 server")
    fields = {"title": "Pictured", "body": "A post with a picture.", "alt_1": "A red square", "submit": ""}
    files = {"picture_1": ("red.png", "image/png", picture())}
    browser.post_multipart("/", "/", fields, files, backend="a")
    _, page, _ = browser.get("/", backend="b")
    answered(browser, "b")
    full, thumbnail = (
        html.unescape(value)
        for value in re.search(r'<a href="([^"]+)"><img[^>]*src="([^"]+)" alt="A red square"', page).groups()
    )
    for src in (full, thumbnail):
        assert "/flasky-smoke/" in src and not src.startswith(options.base), src
    with urllib.request.urlopen(full, timeout=10) as response:  # noqa: S310 - the S3 server of this run
        image = Image.open(io.BytesIO(response.read()))
    assert (image.format, image.size) == ("WEBP", (640, 480)), (image.format, image.size)

    step("rate limits are shared: five wrong passwords on one machine, the other refuses the right one")
    limited = Browser(options.base)
    for _ in range(5):
        wrong = {"login": "limited@example.com", "password": "not-the-password"}
        _, page, _ = limited.post_form("/auth/login/", "/auth/login/", wrong, backend="a", expect=(400,))
        assert "Too many failed login attempts" not in page
    right = {"login": "limited@example.com", "password": PASSWORD}
    _, page, _ = limited.post_form("/auth/login/", "/auth/login/", right, backend="b", expect=(400, 429))
    answered(limited, "b")
    assert "Too many failed login attempts" in page, "not rate-limited on the other web machine"
    assert "Hello, limited!" not in limited.get("/", backend="b")[1]


def replica_reads(options, browser):
    """Reads come from the streaming replica, except for a writer's own; a stopped replica is no error."""
    step("read-your-writes: with the replica paused, the writer sees their post on the other machine")
    run(options.replica_pause)
    visitor = Browser(options.base)
    try:
        post = {"title": "Lag", "body": "Written while the replica lags.", "submit": ""}
        browser.post_form("/", "/", post, backend="a")
        _, page, _ = browser.get("/", backend="b")
        assert "Written while the replica lags." in page, "the writer does not see their own post"
        # ... and a visitor, whose pages come from the (paused) replica, does not see it yet.
        _, page, _ = visitor.get("/", backend="b")
        assert "Written while the replica lags." not in page, (
            "the visitor's page did not come from the replica"
        )
    finally:
        run(options.replica_resume)
    wait_until(
        lambda: "Written while the replica lags." in visitor.get("/")[1], what="the replica catching up"
    )

    step("the replica stops: pages fall back to the primary (logged), no error")
    run(options.replica_stop)
    try:
        for machine in ("a", "b", "a", "b"):
            _, page, _ = visitor.get("/", backend=machine)
            assert "Written while the replica lags." in page
    finally:
        run(options.replica_start)


def stop_one_web_machine(options, browser):
    """Web machine a stops (gracefully) while a visitor keeps reading; everything goes on through b."""
    step("web machine a stops mid-journey: no request fails, nothing is lost")
    failures, done = [], threading.Event()

    def keep_reading():
        visitor = Browser(options.base)
        while not done.is_set():
            try:
                visitor.get("/")
            except (AssertionError, OSError) as error:
                failures.append(error)

    reader = threading.Thread(target=keep_reading)
    reader.start()
    try:
        run(options.web_a_stop)
        time.sleep(1)
    finally:
        done.set()
        reader.join()
    assert not failures, failures[:3]
    _, page, _ = browser.get("/")
    assert browser.upstream == options.web_b, browser.upstream
    for text in ("A post written while <em>Redis</em> was down.", "Written while the replica lags."):
        assert text in page, f"lost: {text}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--redis-stop", required=True)
    parser.add_argument("--redis-start", required=True)
    parser.add_argument("--smtp-stop", required=True)
    parser.add_argument("--smtp-start", required=True)
    for name in ("replica-pause", "replica-resume", "replica-stop", "replica-start", "web-a-stop"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--web-a", required=True, help="HOST:PORT of web machine a, as nginx names it")
    parser.add_argument("--web-b", required=True)
    options = parser.parse_args()
    browser = Browser(options.base)

    step("health check through nginx")
    _, body, _ = browser.get("/healthz")
    assert json.loads(body)["status"] == "ok", body

    step("static files are served by nginx with long cache headers")
    _, home, headers = browser.get("/")
    assert headers["Strict-Transport-Security"], "HSTS header missing"
    css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home).group(1)
    _, _, static_headers = browser.get(css)
    assert "max-age=31536000" in static_headers["Cache-Control"], static_headers["Cache-Control"]

    step("register; the confirmation email is sent by the worker")
    browser.post_form(
        "/auth/signup/",
        "/auth/signup/",
        {"email": "smoke@example.com", "username": "smoke", "password1": PASSWORD, "password2": PASSWORD},
    )
    (confirmation,) = wait_for_mail(options.maildir, 1)
    assert confirmation["Subject"] == "[Flasky] Confirm Your Account", confirmation["Subject"]
    link = re.search(r"https?://\S+/auth/confirm-email/\S+/", text_of(confirmation)).group(0)
    path = urllib.parse.urlsplit(link).path
    browser.post_form(path, path, {})
    # Signing up does not log in (the same answer for a new and a registered address): log in, confirmed.
    browser.post_form("/auth/login/", "/auth/login/", {"login": "smoke@example.com", "password": PASSWORD})
    _, page, _ = browser.get("/")
    assert "Hello, smoke!" in page, "not confirmed and logged in"

    across_web_machines(options, browser)
    replica_reads(options, browser)

    step("Redis goes down: the site keeps serving and nobody is logged out")
    run(options.redis_stop)
    browser.post_form(
        "/", "/", {"title": "Smoke", "body": "A post written while *Redis* was down.", "submit": ""}
    )
    _, page, _ = browser.get("/")
    assert "A post written while <em>Redis</em> was down." in page
    run(options.redis_start)

    step("comment on someone else's post; follow them")
    other = Browser(options.base)
    other.post_form("/auth/login/", "/auth/login/", {"login": "other@example.com", "password": PASSWORD})
    other.post_form("/", "/", {"title": "Other", "body": "Another user's post.", "submit": ""})
    _, page, _ = browser.get("/")
    post_path = re.search(r'href="(/post/\d+/)"[^>]*>Other<', page).group(1)
    browser.post_form(post_path, post_path, {"body": "Nice post!", "notify": "on"})
    _, page, _ = browser.get(post_path)
    assert "Nice post!" in page
    browser.post_form("/user/other/", "/follow/other/", {})
    _, page, _ = browser.get("/user/other/")
    assert "data-followers-count>1<" in page
    # the author hears of the comment (one round) and of the new follower, from the worker
    subjects = [str(message["Subject"]) for message in wait_for_mail(options.maildir, 3)]
    assert "[Flasky] smoke is now following you!" in subjects, subjects
    assert "[Flasky] New comments on “Other”" in subjects, subjects

    stop_one_web_machine(options, browser)

    step("the mail server goes down; the next notification waits in the queue and arrives when it is back")
    run(options.smtp_stop)
    browser.post_form(post_path, post_path, {"body": "Second comment, while mail is down."})
    time.sleep(4)  # the round runs, and the mail server refuses its email
    run(options.smtp_start)
    subjects = [str(message["Subject"]) for message in wait_for_mail(options.maildir, 4, seconds=120)]
    assert sum(subject == "[Flasky] New comments on “Other”" for subject in subjects) == 2, subjects

    step("API: a token for email + password, then the posts with it")
    basic = base64.b64encode(f"smoke@example.com:{PASSWORD}".encode()).decode()
    _, body, _ = browser.request(
        "POST", "/api/v1/tokens/", b"", {"Authorization": f"Basic {basic}", "Accept": "application/json"}
    )
    token = json.loads(body)["token"]
    _, body, _ = browser.get(
        "/api/v1/posts/", headers={"Authorization": f"Bearer {token}", "Accept": "application/json"}
    )
    assert json.loads(body)["count"] >= 2, body

    print("Smoke journey passed.", flush=True)


if __name__ == "__main__":
    try:
        main()
    except AssertionError as error:
        print(f"SMOKE JOURNEY FAILED: {error}", file=sys.stderr)
        sys.exit(1)
