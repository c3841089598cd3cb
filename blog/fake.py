"""Fake posts and comments for `manage.py fakedata --posts N --comments N`, inserted in bulk.

Markdown rendering is the slow part of saving a post, so a pool of a few hundred bodies is rendered once
and drawn from: 100,000 posts take seconds, not minutes.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from blog.language import detect_language
from blog.markdown import COMMENT_TAGS, render_markdown
from blog.models import Comment, Post
from flasky_project.fakedata import MissingData, batched, register

POOL_SIZE = 400


def add_post_arguments(parser, count_type):
    parser.add_argument("--posts", type=count_type, default=0, help="How many posts to create.")


def add_comment_arguments(parser, count_type):
    parser.add_argument("--comments", type=count_type, default=0, help="How many comments to create.")


@register(order=30, name="posts", add_arguments=add_post_arguments)
def generate_posts(options, *, rng, faker, progress):
    total = options["posts"]
    if not total:
        return None
    authors = list(User.objects.values_list("pk", "member_since"))
    if not authors:
        raise MissingData("fakedata needs users before posts: add --users N")
    pool = [_post_body(faker, rng) for _ in range(POOL_SIZE)]
    now = timezone.now()
    for start, count in batched(total, size=5000):
        rows = []
        for _ in range(count):
            author, joined = rng.choice(authors)
            title, body, html, language = rng.choice(pool)
            created = _between(rng, joined, now)
            rows.append(
                Post(
                    author_id=author,
                    title=title,
                    body=body,
                    body_html=html,
                    language=language,
                    created=created,
                    updated=created,
                )
            )
        Post.objects.bulk_create(rows)
        progress("posts", start + count, total)
    return total


@register(order=40, name="comments", add_arguments=add_comment_arguments)
def generate_comments(options, *, rng, faker, progress):
    total = options["comments"]
    if not total:
        return None
    posts = list(Post.objects.values_list("pk", "created"))
    authors = list(User.objects.values_list("pk", flat=True))
    if not posts:
        raise MissingData("fakedata needs posts before comments: add --posts N")
    pool = []
    for _ in range(POOL_SIZE):
        body = faker[rng.choice(["en_US", "en_US", "es_ES"])].sentence(nb_words=rng.randint(4, 30))
        pool.append((body, render_markdown(body, allowed=COMMENT_TAGS)))
    now = timezone.now()
    for start, count in batched(total, size=5000):
        rows = []
        for _ in range(count):
            post, posted = rng.choice(posts)
            body, html = rng.choice(pool)
            rows.append(
                Comment(
                    post_id=post,
                    author_id=rng.choice(authors),
                    body=body,
                    body_html=html,
                    created=_between(rng, posted, now),
                    disabled=rng.random() < 0.02,
                )
            )
        Comment.objects.bulk_create(rows)
        progress("comments", start + count, total)
    return total


def _post_body(faker, rng):
    # Two posts in three in English, one in Spanish: each post in one language, like real ones.
    faker = faker[rng.choice(["en_US", "en_US", "es_ES"])]
    paragraphs = faker.paragraphs(nb=rng.randint(1, 3))
    if rng.random() < 0.3:
        words = paragraphs[0].split()
        position = rng.randrange(len(words))
        words[position] = f"*{words[position]}*"
        paragraphs[0] = " ".join(words)
    if rng.random() < 0.2:
        paragraphs.append("\n".join(f"- {faker.word()}" for _ in range(rng.randint(2, 4))))
    body = "\n\n".join(paragraphs)
    title = faker.sentence(nb_words=rng.randint(3, 7)).rstrip(".") if rng.random() < 0.4 else ""
    return title, body, render_markdown(body), detect_language(f"{title}\n{body}")


def _between(rng, start, end):
    return start + timedelta(seconds=rng.random() * max((end - start).total_seconds(), 0))
