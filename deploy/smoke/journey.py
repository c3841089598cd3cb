"""The production smoke journey, over real HTTP(S) through nginx: what a new user does on day one.

Run by deploy/smoke/run.sh against gunicorn + db_worker + nginx + PostgreSQL + Redis + an SMTP sink. It
also stops Redis and the mail server part-way and checks that nothing is lost and no error shows.

    python deploy/smoke/journey.py --base https://127.0.0.1:8443 --maildir /tmp/smoke/mail \
        --redis-stop "CMD" --redis-start "CMD" --smtp-stop "CMD" --smtp-start "CMD"
"""

import argparse
import base64
import email
import email.policy
import http.cookiejar
import json
import re
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

PASSWORD = "smoke-test-password-2026"  # noqa: S105 - the throwaway account of this run
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """Cookies, CSRF tokens and redirects, like a browser, over TLS with the smoke test's own certificate."""

    def __init__(self, base):
        self.base = base.rstrip("/")
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # a self-signed certificate made for this run
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context), urllib.request.HTTPCookieProcessor(self.jar)
        )

    def request(self, method, path, data=None, headers=None, expect=(200,)):
        url = path if path.startswith("http") else f"{self.base}{path}"
        body = urllib.parse.urlencode(data).encode() if isinstance(data, dict) else data
        headers = {"Referer": f"{self.base}/", **(headers or {})}
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
        if status not in expect:
            raise AssertionError(f"{method} {path}: HTTP {status}, expected {expect}\n{text[:1500]}")
        if "Traceback" in text or "Internal Server Error" in text:
            raise AssertionError(f"{method} {path}: an error page was shown\n{text[:1500]}")
        return status, text, info

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post_form(self, page, action, fields, **kwargs):
        """Open ``page``, take its CSRF token, and post ``fields`` to ``action`` like the form would."""
        _, html, _ = self.get(page)
        token = CSRF.search(html).group(1)
        return self.request("POST", action, {"csrfmiddlewaretoken": token, **fields}, **kwargs)


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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--redis-stop", required=True)
    parser.add_argument("--redis-start", required=True)
    parser.add_argument("--smtp-stop", required=True)
    parser.add_argument("--smtp-start", required=True)
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
    _, page, _ = browser.get("/")
    assert "Hello, smoke!" in page, "not confirmed and logged in"

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
