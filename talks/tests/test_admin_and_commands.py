"""Talks in the Django admin, `fakedata --talks`, and approving comments in the admin."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.tests.factories import UserFactory
from blog.fake_topics import TOPICS
from blog.models import Comment, Post
from talks.embeds import embed_for, link_url
from talks.fake import venue_zone
from talks.models import Talk
from talks.tests.factories import GuestCommentFactory, TalkFactory

pytestmark = pytest.mark.django_db

FAKE_VIDEOS = {video for topic in TOPICS for video in topic.videos}
FAKE_SLIDES = {slides for topic in TOPICS for slides in topic.slides}


def test_fakedata_creates_talks_with_posts_and_guest_comments():
    UserFactory.create_batch(3)
    call_command("fakedata", "--talks", "40", "--seed", "1")
    assert Talk.objects.count() == 40 == Post.objects.count()
    talk = Talk.objects.select_related("post").first()
    assert talk.post.title and talk.post.body_html.startswith("<p>") and talk.venue
    assert Talk.objects.upcoming().exists() and Talk.objects.past().exists()
    guests = Comment.objects.filter(author=None)
    assert guests.exists() and guests.filter(approved=False).exists()


def test_fakedata_talks_start_on_weekdays_in_working_hours_at_the_venue():
    UserFactory.create_batch(3)
    call_command("fakedata", "--talks", "200", "--seed", "3")
    for talk in Talk.objects.all():
        local = talk.date.astimezone(venue_zone(talk.venue))
        assert local.weekday() < 5, talk.venue
        assert datetime.time(9, 0) <= local.time() <= datetime.time(17, 45), (talk.venue, local)
    hours = {talk.date.astimezone(venue_zone(talk.venue)).hour for talk in Talk.objects.all()}
    assert hours == set(range(9, 18))


def test_fakedata_talk_videos_and_slides_are_players_of_real_talks():
    UserFactory.create_batch(3)
    call_command("fakedata", "--talks", "60", "--seed", "4")
    videos = Talk.objects.exclude(video_url="")
    assert videos.count() > 20
    for talk in videos:  # well-known recordings, never made-up addresses
        assert talk.video_url in FAKE_VIDEOS and embed_for(talk.video_url) is not None
    for talk in Talk.objects.exclude(slides_url=""):
        assert talk.slides_url in FAKE_SLIDES and link_url(talk.slides_url) == talk.slides_url
    assert any(embed_for(talk.slides_url) for talk in Talk.objects.exclude(slides_url=""))


@pytest.mark.parametrize("provider", ["YouTube", "Vimeo"])
def test_fakedata_talk_pages_play_their_videos(client, provider):
    UserFactory.create_batch(3)
    call_command("fakedata", "--talks", "80", "--seed", "5")
    talk = next(
        talk for talk in Talk.objects.exclude(video_url="") if embed_for(talk.video_url).provider == provider
    )
    response = client.get(talk.get_absolute_url())
    assert response.status_code == 200
    assert f'<iframe src="{embed_for(talk.video_url).src}"' in response.content.decode()
    assert talk.post.title in response.content.decode()


def test_fakedata_talks_need_users():
    with pytest.raises(CommandError, match="needs users before talks"):
        call_command("fakedata", "--talks", "3")


def test_admin_lists_and_searches_talks(moderator_client):
    TalkFactory(venue="Findable Hall")
    TalkFactory(venue="Elsewhere")
    response = moderator_client.get("/admin/talks/talk/?q=findable")
    assert response.status_code == 200 and len(response.context["cl"].result_list) == 1


def test_moderators_approve_comments_in_the_admin_and_it_is_logged(moderator_client, mailoutbox):
    comments = GuestCommentFactory.create_batch(2)
    moderator_client.post(
        "/admin/blog/comment/", {"action": "approve_comments", "_selected_action": [c.pk for c in comments]}
    )
    assert Comment.objects.filter(approved=True).count() == 2
    assert LogEntry.objects.filter(change_message="Approved.").count() == 2
