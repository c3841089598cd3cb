"""Django templates or Jinja2 for the home page's hot templates: the same 20 post cards rendered by both.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/flasky_bench_100000 \
        .venv/bin/python bench/template_engines.py [--rounds 200] [--language es]

The cards (templates/blog/_posts.html with the partials it includes) are ported to Jinja2 in bench/jinja2/
with the same markup and msgids, rendered through Django's own backend for it
(django.template.backends.jinja2) with autoescaping on and Django's translations installed (jinja2.ext.i18n,
new style: translated strings are escaped and formatted the same way). The script first checks that both
engines give the same text for the same posts (in the chosen language), then renders each the given number of
rounds, interleaved, for a visitor's home page and a logged-in reader's (whose cards have the like, bookmark
and edit forms), and prints the median time per render of the cards and of the whole home page with Django,
and what the page would take with its cards in Jinja2.
"""

import argparse
import gc
import os
import re
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
        "STATICFILES_MANIFEST": "0",
        "DJANGO_SETTINGS_MODULE": "flasky_project.settings",
    }
)

import django  # noqa: E402

TOKEN = "x" * 64  # a CSRF token, the same for both engines


def environment(**options):
    """The Jinja2 environment: Django's translations, and the project's tags as functions and filters."""
    from django.template import defaultfilters
    from django.urls import reverse
    from django.utils import translation
    from jinja2 import Environment

    from flasky_project.templatetags.flasky import avatar, reltime
    from talks.templatetags.talk_embeds import web_link

    # Django's backend passes autoescape=True; said here too, as the guarantee the comparison depends on.
    options.pop("autoescape", None)
    env = Environment(extensions=["jinja2.ext.i18n"], autoescape=True, **options)
    env.install_gettext_translations(translation, newstyle=True)
    env.globals.update(url=lambda name, *args: reverse(name, args=args), avatar=avatar, reltime=reltime)
    env.filters.update(date=defaultfilters.date, time=defaultfilters.time, web_link=web_link)
    return env


def engines():
    from django.template import engines as django_engines
    from django.template.backends.jinja2 import Jinja2

    jinja = Jinja2(
        {
            "NAME": "jinja2",
            "DIRS": [ROOT / "bench" / "jinja2"],
            "APP_DIRS": False,
            "OPTIONS": {"environment": f"{__name__}.environment"},
        }
    )
    return django_engines["django"], jinja


def home_page(user):
    """The home page's context as blog.views.index makes it for ``user``, its queries done."""
    from django.test import RequestFactory, override_settings

    from blog import listing
    from blog.models import Post

    request = RequestFactory().get("/")
    request.user = user
    # The posts themselves, never a list kept by an earlier run (blog.composed): both engines draw them.
    with override_settings(FLASKY_PAGE_CACHE_SECONDS=0):
        page = listing.post_page(request, Post.objects.all())
    return request, page


def text(html):
    return re.sub(r"\s+", " ", html).strip()


def timed(render, rounds):
    samples = []
    for _ in range(rounds):
        started = time.thread_time()
        render()
        samples.append(time.thread_time() - started)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--language", default="en")
    options = parser.parse_args()

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    from accounts.models import User

    translation.activate(options.language)
    django_engine, jinja = engines()
    cards = {
        name: engine.get_template("blog/_posts.html")
        for name, engine in (("django", django_engine), ("jinja2", jinja))
    }
    print(f"Language {options.language}; median of {options.rounds} renders, CPU time of this thread.")
    for title, user in [("visitor", AnonymousUser()), ("logged in", User.objects.order_by("pk").first())]:
        compare(title, user, cards, options.rounds)


def compare(title, user, cards, rounds):
    from django.template.loader import render_to_string

    request, page = home_page(user)
    context = {"posts": page.object_list, "next": "/", "csrf_token": TOKEN}
    rendered = {name: template.render(context) for name, template in cards.items()}
    assert text(rendered["django"]) == text(rendered["jinja2"]), "the engines disagree"
    page_context = {"form": None, "preview": None, "page": page, "show_followed": False, "suggestions": []}
    gc.collect()
    times = {name: [] for name in (*cards, "page")}
    for _ in range(max(1, rounds // 20)):  # interleaved, so both see the same machine
        for name, template in cards.items():
            times[name].append(timed(lambda template=template: template.render(context), 20))
        times["page"].append(timed(lambda: render_to_string("blog/home.html", page_context, request), 20))
    django_cards, jinja_cards, whole = (
        statistics.median(times[name]) for name in ("django", "jinja2", "page")
    )
    with_jinja = whole - django_cards + jinja_cards
    print(
        f"{title}: {len(page.object_list)} cards; Django {django_cards * 1e3:.2f} ms, "
        f"Jinja2 {jinja_cards * 1e3:.2f} ms ({django_cards / jinja_cards:.2f}x); whole page with Django "
        f"{whole * 1e3:.2f} ms, with Jinja2 cards {with_jinja * 1e3:.2f} ms ({whole / with_jinja:.2f}x)"
    )


if __name__ == "__main__":
    main()
