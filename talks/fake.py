"""Fake talks for `manage.py fakedata --talks N`, inserted in bulk: posts with talk details, given over the
last two years and the next six months, and a few comments from visitors, some still waiting for approval.

A talk is about one of the blog's fake topics (blog/fake_topics.py), in its speaker's language, at a real
conference's city, on a weekday between 09:00 and 18:00 there. Its video and slides, when it has them, are
public recordings and decks of well-known talks on the same subject (YouTube, Vimeo, Speaker Deck), which the
talk page plays (talks.embeds).
"""

import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import User
from blog.fake_topics import TOPICS
from blog.fake_writing import fill, writer_for
from blog.models import Comment, Post, PostKind
from blog.search import indexing_new_posts_at_the_end
from flasky_project.fakedata import MissingData, batched, register
from talks.models import Talk

# (event, city, time zone, the event's site)
VENUES = (
    ("PyCon US", "Pittsburgh", "America/New_York", "https://us.pycon.org/"),
    ("DjangoCon US", "Durham", "America/New_York", "https://2024.djangocon.us/"),
    ("DjangoCon Europe", "Dublin", "Europe/Dublin", "https://djangocon.eu/"),
    ("EuroPython", "Prague", "Europe/Prague", "https://ep2025.europython.eu/"),
    ("PyCon España", "Sevilla", "Europe/Madrid", "https://2025.es.pycon.org/"),
    ("Python Madrid", "Madrid", "Europe/Madrid", "https://www.meetup.com/python-madrid/"),
    ("PyData London", "London", "Europe/London", "https://pydata.org/london2025/"),
    ("PyCon Latam", "Ciudad de México", "America/Mexico_City", "https://www.pylatam.org/"),
    ("Python Buenos Aires", "Buenos Aires", "America/Argentina/Buenos_Aires", "https://python.org.ar/"),
    ("PyCon AU", "Melbourne", "Australia/Melbourne", "https://2025.pycon.org.au/"),
    ("PyCon APAC", "Manila", "Asia/Manila", "https://pycon-apac.python.ph/"),
    ("PyCon DE", "Darmstadt", "Europe/Berlin", "https://2025.pycon.de/"),
)
# Talks start on the quarter hour from 09:00 to 17:15, local time, Monday to Friday.
FIRST_START, LAST_START = datetime.time(9, 0), datetime.time(17, 15)
TITLES = {
    "en": (
        "{Name}: lessons from production",
        "{Name} for the rest of us",
        "What nobody tells you about {name}",
        "{Name}, the practical way",
        "A tour of {name}",
    ),
    "es": (
        "{Name}: lecciones desde producción",
        "{Name} para el resto de los mortales",
        "Lo que nadie te cuenta sobre {name}",
        "{Name}, de forma práctica",
        "Un paseo por {name}",
    ),
}
GUEST_LOCALES = {"en": "en_US", "es": "es_ES"}
# Most talks are about a topic with a recorded talk or a deck to show (the rest have neither).
RECORDED = tuple(topic for topic in TOPICS if topic.videos or topic.slides)
RECORDED_SHARE = 0.8


def add_arguments(parser, count_type):
    parser.add_argument("--talks", type=count_type, default=0, help="How many talks to create.")


@register(order=35, name="talks", add_arguments=add_arguments)
def generate_talks(options, *, rng, faker, progress):
    total = options["talks"]
    if not total:
        return None
    speakers = list(User.objects.values_list("pk", "member_since", "language"))
    if not speakers:
        raise MissingData("fakedata needs users before talks: add --users N")
    writer = writer_for(rng)
    now = timezone.now()
    for start, count in batched(total, size=2000):
        posts, details, about = [], [], []
        for _ in range(count):
            speaker, joined, language = rng.choice(speakers)
            language = "es" if language == "es" else "en"
            topic = rng.choice(RECORDED if rng.random() < RECORDED_SHARE else TOPICS)
            abstract = writer.abstract(language, topic)
            created = joined + (now - joined) * rng.random()
            posts.append(
                Post(
                    author_id=speaker,
                    title=fill(rng.choice(TITLES[language]), topic, language),
                    body=abstract.body,
                    body_html=abstract.html,
                    language=language,
                    created=created,
                    updated=created,
                    kind=PostKind.TALK,
                )
            )
            details.append(_details(rng, topic, now))
            about.append((topic, language))
        with indexing_new_posts_at_the_end():
            posts = Post.objects.bulk_create(posts)
            Talk.objects.bulk_create(
                Talk(post=post, **detail) for post, detail in zip(posts, details, strict=True)
            )
            _guest_comments(writer, faker, rng, posts, about, now)
        progress("talks", start + count, total)
    return total


def talk_date(rng, now, zone):
    """A start on a weekday between FIRST_START and LAST_START in ``zone``, from two years ago to six months
    ahead, as an aware datetime."""
    day = (now.astimezone(zone) + timedelta(days=rng.uniform(-730, 180))).date()
    if day.weekday() >= 5:  # a weekend: any weekday of that week instead
        day -= timedelta(days=day.weekday() - rng.randint(0, 4))
    quarters = (LAST_START.hour * 60 + LAST_START.minute - FIRST_START.hour * 60 - FIRST_START.minute) // 15
    minutes = FIRST_START.hour * 60 + FIRST_START.minute + 15 * rng.randint(0, quarters)
    return datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60), tzinfo=zone)


def venue_zone(venue):
    """The time zone of a fake talk's venue ("PyCon US 2025, Pittsburgh"), or None for other venues."""
    for event, city, zone, _site in VENUES:
        if venue.startswith(f"{event} ") and venue.endswith(f", {city}"):
            return ZoneInfo(zone)
    return None


def _details(rng, topic, now):
    event, city, zone, site = rng.choice(VENUES)
    date = talk_date(rng, now, ZoneInfo(zone))
    return {
        "date": date,
        "venue": f"{event} {date.year}, {city}"[:128],
        "venue_url": site if rng.random() < 0.7 else "",
        "video_url": rng.choice(topic.videos) if topic.videos and rng.random() < 0.9 else "",
        "slides_url": rng.choice(topic.slides) if topic.slides and rng.random() < 0.8 else "",
    }


def _guest_comments(writer, faker, rng, posts, about, now):
    """Visitors' comments on the talks, in each talk's language, about its topic."""
    rows = []
    for post, (topic, language) in zip(posts, about, strict=True):
        guest = faker[GUEST_LOCALES[language]]
        for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
            draft = writer.comment(language, topic)
            rows.append(
                Comment(
                    post=post,
                    guest_name=guest.name()[:64],
                    guest_email=f"{guest.user_name()}@example.net",
                    body=draft.body,
                    body_html=draft.html,
                    created=post.created + (now - post.created) * rng.random(),
                    approved=rng.random() < 0.7,
                )
            )
    Comment.objects.bulk_create(rows)
