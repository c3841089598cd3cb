"""A small site with realistic content, and every type of page a visitor can reach in it: what the
accessibility run and the screenshots visit (tests/e2e/test_accessibility.py)."""

import io
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.tests.factories import ModeratorFactory, UserFactory
from blog import services as blog_services
from blog.models import Post
from blog.pictures import process_picture
from blog.views import TIMELINE_COOKIE
from moderation import services as moderation_services
from moderation.models import Reason
from schedule.tests.factories import AppointmentFactory
from social import services as social_services
from talks import services as talk_services

GRACE_POST = """\
Most of the time we spend on a program goes into reading it, so I write for the reader first.

## Three habits

1. Name things for what they *are*, not for how they are made.
2. Keep functions short enough to read without scrolling.
3. Delete code you do not need: it cannot break.

> The most dangerous phrase in the language is "we've always done it this way."

A small example in Python:

```python
def average(numbers):
    return sum(numbers) / len(numbers) if numbers else 0
```

More on this at the [talk next week](https://example.com/talks).
"""

LINUS_POST = """\
Profiling before optimising saved me a week this month.

### What I measured

- the request time of every page, with and without the cache;
- the queries each page makes.

Run `python -m cProfile -s cumtime manage.py runserver` and read the top ten lines.
"""

ANA_POST = """\
Hoy he publicado mi primera charla sobre accesibilidad. Lo más importante:

- etiquetas en todos los campos;
- contraste suficiente en los dos temas;
- todo se puede usar con el teclado.
"""

TALK_ABSTRACT = """\
A tour of the tools that keep a site usable by everyone: automatic checks in the tests, the keyboard,
and a screen reader. With examples from a real project.
"""


def picture(size=(960, 540)):
    """A sunset drawn here (a sky from orange to purple, a sun, the sea), processed as an upload would be."""
    width, height = size
    sky = Image.linear_gradient("L").resize(size)
    image = Image.merge("RGB", (sky.point(lambda v: 250 - v // 3), sky.point(lambda v: 170 - v // 2), sky))
    draw = ImageDraw.Draw(image)
    sun = (width // 2 - 70, height // 2 - 40, width // 2 + 70, height // 2 + 100)
    draw.ellipse(sun, fill=(255, 214, 120))
    draw.rectangle((0, height * 2 // 3, width, height), fill=(40, 60, 120))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return process_picture(SimpleUploadedFile("sunset.png", buffer.getvalue(), content_type="image/png"))


def build_site():
    """People who follow, write, comment, like, report and give talks; returns them and their content."""
    grace = UserFactory(
        username="grace",
        name="Grace Hopper",
        location="Arlington",
        about_me="I write compilers and explain them to people.",
    )
    linus = UserFactory(username="linus", name="Linus Pauling", location="Portland", about_me="Chemist.")
    ana = UserFactory(
        username="ana", name="Ana Martín", location="Sevilla", about_me="Hablo de accesibilidad."
    )
    moderator = ModeratorFactory(username="max", name="Max Moderator", location="Berlin")
    social_services.follow(follower=grace, followed=linus)
    social_services.follow(follower=ana, followed=grace)
    social_services.follow(follower=linus, followed=grace)

    post = blog_services.publish_post(
        author=grace,
        title="Write for the reader",
        body=GRACE_POST,
        pictures=[(picture(), "The sun setting over a calm sea")],
    )
    linus_post = blog_services.publish_post(author=linus, title="Profile first", body=LINUS_POST)
    ana_post = blog_services.publish_post(author=ana, title="Accesibilidad para todos", body=ANA_POST)
    first = blog_services.publish_comment(
        post=post, author=linus, body="Short functions helped me too. Do you count **comments** as lines?"
    )
    blog_services.publish_comment(
        post=post, author=grace, body="No: a good comment says *why*, @linus.", in_reply_to=first
    )
    blog_services.publish_comment(post=post, author=ana, body="¡Muy útil! Lo comparto con mi equipo.")
    for reader in (linus, ana):
        blog_services.like(user=reader, post=post)
    blog_services.like(user=grace, comment=first)

    talk = talk_services.publish_talk(
        author=grace,
        title="Accessible by default",
        body=TALK_ABSTRACT,
        date=(timezone.now() + timedelta(days=6)).replace(hour=17, minute=30, second=0, microsecond=0),
        venue="Town Hall, Room 2",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    talk_services.add_guest_comment(
        talk=talk, name="Sam Visitor", email="sam@example.net", body="Will the slides be online?"
    )
    AppointmentFactory(owner=grace, title="Rehearse the talk", location="Town Hall")
    spam = blog_services.publish_post(author=linus, body="Cheap watches at example.com!!!")
    moderation_services.report(reporter=ana, target=spam, reason=Reason.SPAM, message="An advert.")
    # Written over two days, the newest first in every list (as the screenshots show them).
    for step, written in enumerate([post, ana_post, linus_post, talk.post, spam]):
        Post.objects.filter(pk=written.pk).update(
            created=timezone.now() - timedelta(hours=step * 7, minutes=20)
        )
    return {"grace": grace, "linus": linus, "ana": ana, "max": moderator, "post": post, "talk": talk}


@dataclass(frozen=True)
class PageType:
    """One type of page: its id in test names and screenshots, who looks at it, where, and the answer."""

    id: str
    viewer: str | None  # a key of build_site()'s answer, or None for a visitor who is not logged in
    path: str  # formatted with build_site()'s answer
    status: int = 200
    cookies: tuple = ()


PAGE_TYPES = [
    PageType("home-visitor", None, "/"),
    PageType("home-all", "grace", "/"),
    PageType("home-followed", "grace", "/", cookies=((TIMELINE_COOKIE, "1"),)),
    PageType("post", "grace", "/post/{post.pk}/"),
    PageType("profile", "grace", "/user/ana/"),
    PageType("followers", "grace", "/followers/grace/"),
    PageType("edit-profile", "grace", "/edit-profile/"),
    PageType("talks", None, "/talks/"),
    PageType("talk", None, "/talks/{talk.pk}/"),
    PageType("talk-speaker", "grace", "/talks/{talk.pk}/"),
    PageType("schedule", "grace", "/schedule/"),
    PageType("search", "grace", "/search/?q=reader"),
    PageType("moderation-reports", "max", "/moderate/reports/"),
    PageType("moderation-comments", "max", "/moderate/"),
    PageType("notifications", "grace", "/notifications/"),
    PageType("login", None, "/auth/login/"),
    PageType("signup", None, "/auth/signup/"),
    PageType("error-404", "grace", "/no-such-page/", status=404),
    PageType("error-403", "grace", "/edit-profile/{linus.pk}/", status=403),
]
