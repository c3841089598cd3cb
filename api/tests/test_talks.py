"""Talks in the API: their details in a post's JSON, the lists of upcoming and past talks, publishing and
editing talks (through talks.services, with the talk-title rule and the model's own validators)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from api.tests.helpers import api_headers, error_of, send
from blog.models import Post
from blog.tests.factories import PostFactory
from talks.models import Talk
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db

NEW_TALK = {
    "title": "Flask at scale",
    "body": "An *abstract*.",
    "date": "2030-05-04T18:00:00Z",
    "venue": "Madrid",
}


def headers_of(user):
    return api_headers(user.email, PASSWORD)


def test_a_talk_s_post_json_has_its_details(client, reader):
    talk = TalkFactory(
        date=datetime(2030, 5, 4, 18, 0, tzinfo=UTC),
        venue="Madrid",
        venue_url="https://venue.example",
        slides_url="https://slides.example/1",
        video_url="https://vimeo.com/1",
    )
    data = client.get(f"/api/v1/posts/{talk.pk}", headers=headers_of(reader)).json()
    assert data["talk"] == {
        "url": f"/api/v1/talks/{talk.pk}",
        "page_url": f"/talks/{talk.pk}/",
        "date": "2030-05-04T18:00:00Z",
        "venue": "Madrid",
        "venue_url": "https://venue.example",
        "slides_url": "https://slides.example/1",
        "video_url": "https://vimeo.com/1",
    }
    assert client.get(f"/api/v1/talks/{talk.pk}", headers=headers_of(reader)).json() == data


# (path, key, queries): credentials, [the user], COUNT (cached for every post), the page's keys, its rows
# with their talks, the reader's likes and bookmarks among them (in the rows' query for lists of posts:
# api.post_cache.post_page_response, which reads pictures only for posts that have some; +1 for talks:
# the pictures of the page's posts).
LISTS = [
    ("/api/v1/posts/", "posts", 3),
    ("/api/v1/users/{speaker}/posts/", "posts", 5),
    ("/api/v1/talks/", "talks", 6),
]


@pytest.mark.parametrize(("path", "key", "queries"), LISTS)
def test_lists_show_talk_details_in_fixed_queries(
    client, reader, path, key, queries, django_assert_num_queries
):
    speaker = UserFactory()
    url = path.format(speaker=speaker.pk)
    TalkFactory(post__author=speaker)
    client.get(url, headers=headers_of(reader))  # (counts every post once, then a minute from the cache)
    with django_assert_num_queries(queries):
        first = client.get(url, headers=headers_of(reader)).json()
    TalkFactory.create_batch(60, post__author=speaker)
    PostFactory.create_batch(5, author=speaker)
    with django_assert_num_queries(queries):
        full = client.get(url, headers=headers_of(reader)).json()
    assert first[key][0]["talk"]["venue"]
    assert len(full[key]) == (50 if key == "talks" else 20)
    assert all(item["talk"] for item in full[key][5:])


def test_upcoming_talks_soonest_first_and_past_talks_most_recent_first(client, reader):
    now = timezone.now()
    later, sooner = TalkFactory(date=now + timedelta(days=9)), TalkFactory(date=now + timedelta(days=1))
    old, older = TalkFactory(date=now - timedelta(days=1)), TalkFactory(date=now - timedelta(days=9))
    PostFactory()  # not a talk
    upcoming = client.get("/api/v1/talks/", headers=headers_of(reader)).json()
    assert [item["talk"]["url"] for item in upcoming["talks"]] == [
        f"/api/v1/talks/{talk.pk}" for talk in (sooner, later)
    ]
    assert (upcoming["count"], upcoming["prev"], upcoming["next"]) == (2, None, None)
    past = client.get("/api/v1/talks/?past=1", headers=headers_of(reader)).json()
    assert [item["talk"]["url"] for item in past["talks"]] == [f"/api/v1/talks/{t.pk}" for t in (old, older)]


def test_past_talks_pages_keep_the_past_in_their_links(client, reader, settings):
    settings.FLASKY_TALKS_PER_PAGE = 1
    TalkFactory.create_batch(2, date=timezone.now() - timedelta(days=1))
    page = client.get("/api/v1/talks/?past=1", headers=headers_of(reader)).json()
    assert page["next"] == "/api/v1/talks/?past=1&page=2"
    assert (
        client.get(page["next"], headers=headers_of(reader)).json()["prev"] == "/api/v1/talks/?past=1&page=1"
    )


@pytest.mark.parametrize("path", ["/api/v1/talks/", "/api/v1/talks"])
def test_publishing_a_talk_answers_201_with_its_location(client, reader, path):
    response = send(client, "POST", path, NEW_TALK, headers=headers_of(reader))
    talk = Talk.objects.select_related("post").get()
    assert response.status_code == 201
    assert response["Location"] == f"http://testserver/api/v1/talks/{talk.pk}"
    assert (talk.post.author, talk.post.title, talk.post.body_html) == (
        reader,
        "Flask at scale",
        "<p>An <em>abstract</em>.</p>",
    )
    assert (talk.date, talk.venue, talk.slides_url) == (datetime(2030, 5, 4, 18, 0, tzinfo=UTC), "Madrid", "")
    assert response.json()["talk"]["date"] == "2030-05-04T18:00:00Z"
    assert response.json()["comment_count"] == 0


def test_a_date_without_an_offset_is_utc(client, reader):
    send(
        client, "POST", "/api/v1/talks/", {**NEW_TALK, "date": "2030-05-04T18:00"}, headers=headers_of(reader)
    )
    assert Talk.objects.get().date == datetime(2030, 5, 4, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize("title", [None, "", "   "])
def test_a_talk_needs_a_title(client, reader, title):
    data = {key: value for key, value in NEW_TALK.items() if key != "title"}
    if title is not None:
        data["title"] = title
    response = send(client, "POST", "/api/v1/talks/", data, headers=headers_of(reader))
    assert error_of(response) == (400, "bad request", "title: A talk needs a title.")
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("slides_url", "ftp://files.example/slides.pdf"),
        ("video_url", "javascript:alert(1)"),
        ("venue_url", "not a url"),
        ("venue_url", "https://example.com/" + "a" * 500),
        ("venue", ""),
        ("venue", "v" * 129),
        ("date", "tomorrow"),
        ("date", None),
    ],
)
def test_what_the_model_refuses_is_a_400_and_nothing_is_saved(client, reader, key, value):
    response = send(client, "POST", "/api/v1/talks/", {**NEW_TALK, key: value}, headers=headers_of(reader))
    status, _error, message = error_of(response)
    assert status == 400 and message.startswith(f"{key}: ")
    assert not Post.objects.exists()


def test_the_date_is_checked_by_the_model_field_s_validators(client, reader, monkeypatch):
    # Validators added to Talk.date (such as the bounds of dates users may enter) apply to the API too.
    def not_in_2031(value):
        if value.year == 2031:
            raise ValidationError("Not in 2031.")

    field = Talk._meta.get_field("date")
    monkeypatch.setattr(field, "validators", [*field.validators, not_in_2031])
    data = {**NEW_TALK, "date": "2031-01-01T10:00:00Z"}
    response = send(client, "POST", "/api/v1/talks/", data, headers=headers_of(reader))
    assert error_of(response) == (400, "bad request", "date: Not in 2031.")
    assert not Talk.objects.exists()


def test_publishing_a_talk_needs_the_write_permission(client, reader, monkeypatch):
    monkeypatch.setattr(User, "has_perm", lambda self, perm, obj=None: perm != "accounts.write")
    response = send(client, "POST", "/api/v1/talks/", NEW_TALK, headers=headers_of(reader))
    assert error_of(response) == (403, "forbidden", "Insufficient permissions")
    assert not Talk.objects.exists()


@pytest.mark.parametrize("path", ["/api/v1/talks/{id}", "/api/v1/talks/{id}/"])
def test_the_speaker_edits_a_talk_and_keys_left_out_keep_their_value(client, author, path):
    talk = TalkFactory(post__author=author, post__title="Old title", venue="Madrid")
    url = path.format(id=talk.pk)
    response = send(
        client,
        "PUT",
        url,
        {"venue": "Lisbon", "video_url": "https://vimeo.com/2"},
        headers=headers_of(author),
    )
    talk.refresh_from_db()
    assert response.status_code == 200 and response.json()["talk"]["venue"] == "Lisbon"
    assert (talk.venue, talk.video_url, talk.post.title) == ("Lisbon", "https://vimeo.com/2", "Old title")


def test_an_administrator_edits_anyone_s_talk(client, author, administrator):
    talk = TalkFactory(post__author=author)
    response = send(
        client, "PUT", f"/api/v1/talks/{talk.pk}", {"title": "Better"}, headers=headers_of(administrator)
    )
    assert response.status_code == 200
    assert Post.objects.get(pk=talk.pk).title == "Better"


def test_others_cannot_edit_a_talk(client, author, reader):
    talk = TalkFactory(post__author=author, venue="Madrid")
    response = send(
        client, "PUT", f"/api/v1/talks/{talk.pk}", {"venue": "Lisbon"}, headers=headers_of(reader)
    )
    assert error_of(response) == (403, "forbidden", "Insufficient permissions")
    assert Talk.objects.get().venue == "Madrid"


@pytest.mark.parametrize("path", ["/api/v1/talks/{id}", "/api/v1/posts/{id}"])
def test_an_edit_cannot_take_a_talk_s_title_away(client, author, path):
    talk = TalkFactory(post__author=author, post__title="Title")
    response = send(client, "PUT", path.format(id=talk.pk), {"title": " "}, headers=headers_of(author))
    assert error_of(response) == (400, "bad request", "title: A talk needs a title.")
    assert Post.objects.get().title == "Title"


def test_a_plain_post_is_no_talk(client, reader):
    post = PostFactory()
    response = client.get(f"/api/v1/talks/{post.pk}", headers=headers_of(reader))
    assert error_of(response) == (404, "not found", f"There is no talk {post.pk}.")
