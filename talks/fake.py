"""Fake talks for `manage.py fakedata --talks N`, inserted in bulk: posts with talk details, given over the
last two years and the next six months, and a few comments from visitors, some still waiting for approval.

Fake slides and videos are links to example.com pages, not players: a made-up video id would show a broken
player (and could, by chance, be someone's real video)."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from blog.markdown import COMMENT_TAGS, render_markdown
from blog.models import Comment, Post, PostKind
from flasky_project.fakedata import MissingData, batched, register
from talks.models import Talk

POOL_SIZE = 200
EVENTS = ["PyCon", "DjangoCon", "EuroPython", "Python Meetup", "FlaskCon", "PyData", "Web Summit"]
TOPICS = [
    "Flask by Example",
    "Scaling Django to a Million Posts",
    "Testing Web Applications with Real Browsers",
    "Full-Text Search without Elasticsearch",
    "Background Tasks Done Right",
    "Writing REST APIs People Enjoy",
    "Time Zones for the Rest of Us",
    "Markdown, Safely",
    "From Monolith to Apps: Dependencies That Point One Way",
    "Caching Without Tears",
]


def add_arguments(parser, count_type):
    parser.add_argument("--talks", type=count_type, default=0, help="How many talks to create.")


@register(order=35, name="talks", add_arguments=add_arguments)
def generate_talks(options, *, rng, faker, progress):
    total = options["talks"]
    if not total:
        return None
    speakers = list(User.objects.values_list("pk", "member_since"))
    if not speakers:
        raise MissingData("fakedata needs users before talks: add --users N")
    pool = [_abstract(faker, rng) for _ in range(POOL_SIZE)]
    comments = [_comment(faker, rng) for _ in range(POOL_SIZE)]
    now = timezone.now()
    for start, count in batched(total, size=2000):
        posts, details = [], []
        for _ in range(count):
            speaker, joined = rng.choice(speakers)
            body, html = rng.choice(pool)
            created = joined + (now - joined) * rng.random()
            title = f"{rng.choice(TOPICS)}: {faker.catch_phrase()}"[:200]
            posts.append(
                Post(
                    author_id=speaker,
                    title=title,
                    body=body,
                    body_html=html,
                    created=created,
                    updated=created,
                    kind=PostKind.TALK,
                )
            )
            details.append(_details(faker, rng, now))
        posts = Post.objects.bulk_create(posts)
        Talk.objects.bulk_create(
            Talk(post=post, **detail) for post, detail in zip(posts, details, strict=True)
        )
        _guest_comments(faker, rng, posts, comments, now)
        progress("talks", start + count, total)
    return total


def _abstract(faker, rng):
    body = "\n\n".join(faker.paragraphs(nb=rng.randint(1, 3)))
    return body, render_markdown(body)


def _comment(faker, rng):
    body = faker.sentence(nb_words=rng.randint(6, 24))
    return body, render_markdown(body, allowed=COMMENT_TAGS)


def _details(faker, rng, now):
    event = rng.choice(EVENTS)
    city = faker.city()
    slug = faker.slug()
    date = now + timedelta(days=rng.uniform(-730, 180))
    return {
        "date": date.replace(minute=rng.choice([0, 15, 30, 45]), second=0, microsecond=0),
        "venue": f"{event} {date.year}, {city}"[:128],
        "venue_url": f"https://{event.lower().replace(' ', '')}.example.com/{date.year}/"
        if rng.random() < 0.7
        else "",
        "video_url": f"https://videos.example.com/{slug}" if rng.random() < 0.5 else "",
        "slides_url": f"https://slides.example.com/{slug}" if rng.random() < 0.6 else "",
    }


def _guest_comments(faker, rng, posts, pool, now):
    rows = []
    for post in posts:
        for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
            body, html = rng.choice(pool)
            rows.append(
                Comment(
                    post=post,
                    guest_name=faker.name()[:64],
                    guest_email=f"{faker.user_name()}@example.net",
                    body=body,
                    body_html=html,
                    created=post.created + (now - post.created) * rng.random(),
                    approved=rng.random() < 0.7,
                )
            )
    Comment.objects.bulk_create(rows)
