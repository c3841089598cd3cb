"""Publishing talks and moderating guests' comments: the one path for the views, the API and commands."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from blog import services as blog_services
from blog.models import Comment, PostKind
from flasky_project import pagecache
from flasky_project.tasks import enqueue_once
from talks.models import PendingModerationEmail, Talk
from talks.tasks import send_moderation_request


def clean_talk_title(title):
    """The talk-title rule, for every path that names a talk (its form, the API's talks and posts): a talk
    needs a title (a plain post may have none). Returns the title without surrounding spaces."""
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("A talk needs a title."), code="required")
    return title


@transaction.atomic
def publish_talk(*, author, title, body, date, venue, venue_url="", video_url="", slides_url=""):
    post = blog_services.publish_post(author=author, title=title, body=body, kind=PostKind.TALK)
    return Talk.objects.create(
        post=post, date=date, venue=venue, venue_url=venue_url, video_url=video_url, slides_url=slides_url
    )


@transaction.atomic
def edit_talk(talk, *, title, body, **details):
    """Change the talk's post (title, abstract) and any of its details (date, venue, venue_url, …)."""
    blog_services.edit_post(talk.post, title=title, body=body)
    for name, value in details.items():
        setattr(talk, name, value)
    talk.save()
    return talk


def add_guest_comment(*, talk, name, email, body, notify=True):
    """A visitor's comment: it waits for approval, and the speaker is told that it does."""
    comment = blog_services.publish_comment(
        post=talk.post,
        body=body,
        guest_name=name,
        guest_email=email,
        notify=notify,
        approved=False,
    )
    request_moderation(talk)
    return comment


def request_moderation(talk):
    """Queue the email that tells the speaker comments wait for them, unless one is queued already: comments
    that arrive before it is sent go into the same email (to a speaker the recipient rule lets through: see
    accounts.notifications; approving comments is blog.services.approve_comment)."""
    return enqueue_once(
        PendingModerationEmail(talk=talk),
        send_moderation_request,
        delay=settings.FLASKY_NOTIFICATION_ROUND_SECONDS,
        talk_id=talk.pk,
    )


PENDING_COUNT_SECONDS = 60  # the longest a block made since (social_block is not watched) waits


def pending_count(user):
    """How many comments wait for ``user`` (the navbar's badge on every page they read): counted once per
    generation of the site's data (flasky_project.pagecache: any write to comments, posts or users makes a
    new one), so most requests read it from the cache instead of building the visibility rule and counting."""
    key = _pending_count_key(user)
    found = cache.get_many(pending_count_keys(user))
    current = found.get(pagecache.GENERATION_KEY) or pagecache.generation()
    stored = found.get(key)
    if stored is not None and stored[0] == current:
        return stored[1]
    count = pending_for(user).count()
    cache.set(key, (current, count), PENDING_COUNT_SECONDS)
    return count


def pending_count_keys(user):
    """The keys pending_count reads (the site's generation first), to read them ahead (talks.apps)."""
    return [pagecache.GENERATION_KEY, _pending_count_key(user)]


def _pending_count_key(user):
    return f"talks:pending-count:{user.pk}"


def pending_for(user):
    """The comments that wait for ``user``: on their own talks, or every one for moderators (the waiting
    comments they may see are exactly those they may approve)."""
    return Comment.objects.visible_to(user).pending()
