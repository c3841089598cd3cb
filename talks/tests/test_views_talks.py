"""The talk lists, a talk's page, and publishing and editing talks."""

import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from accounts import roles
from accounts.models import Role
from accounts.tests.factories import UserFactory
from blog.models import Post
from blog.tests.factories import CommentFactory, PostFactory
from talks.models import Talk
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db


def talk_data(**changes):
    return {
        "title": "Flask by Example",
        "date": "2030-04-12T15:30",
        "venue": "PyCon 2030",
        "venue_url": "https://us.pycon.org/2030/",
        "body": "How to *build* a site.",
        "video_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "slides_url": "https://speakerdeck.com/miguelgrinberg/flask-by-example",
        **changes,
    }


# --- the lists --------------------------------------------------------------------------------------------


def test_talks_page_lists_upcoming_talks_soonest_first(client):
    now = timezone.now()
    later, soon = TalkFactory(date=now + timedelta(days=9)), TalkFactory(date=now + timedelta(days=1))
    TalkFactory(date=now - timedelta(days=1))
    response = client.get("/talks/")
    assert list(response.context["page"]) == [soon, later]
    content = response.content.decode()
    assert "<h1" in content and soon.post.title in content and 'href="/talks/past/"' in content


def test_past_talks_page_lists_them_most_recent_first(client):
    now = timezone.now()
    old, recent = TalkFactory(date=now - timedelta(days=90)), TalkFactory(date=now - timedelta(days=2))
    TalkFactory(date=now + timedelta(days=1))
    assert list(client.get("/talks/past/").context["page"]) == [recent, old]


def test_talk_lists_show_50_a_page_and_page_on(client, settings):
    now = timezone.now()
    talks = [TalkFactory(date=now + timedelta(hours=hour + 1)) for hour in range(51)]
    first = client.get("/talks/")
    assert list(first.context["page"]) == talks[:50]
    assert 'href="?page=2"' in first.content.decode()
    assert list(client.get("/talks/?page=2").context["page"]) == talks[50:]


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999"])
def test_talk_lists_answer_bad_page_numbers_with_404(client, page):
    TalkFactory()
    assert client.get(f"/talks/?page={page}").status_code == 404


def test_empty_lists_say_so(client):
    assert "No upcoming talks." in client.get("/talks/").content.decode()
    assert "No past talks yet." in client.get("/talks/past/").content.decode()


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize("url", ["/talks/", "/talks/past/"])
def test_talk_lists_query_count_is_fixed(client, login, rows, url, django_assert_num_queries):
    offset = timedelta(days=1) if url == "/talks/" else timedelta(days=-1)
    for _ in range(rows):
        talk = TalkFactory(date=timezone.now() + offset)
        CommentFactory(post=talk.post)
    # the page's keys, then its talks with posts, speakers and comment counts (flasky_project.pagination)
    with django_assert_num_queries(2):
        client.get(url)
    logged_in = login(UserFactory())
    logged_in.get("/")
    with django_assert_num_queries(2):  # the same (the session's user is its copy kept in the cache)
        logged_in.get(url)


@pytest.mark.parametrize("rows", [1, 50])
def test_speakers_talks_query_count_is_fixed(client, author, rows, django_assert_num_queries):
    TalkFactory.create_batch(rows, post__author=author)
    with django_assert_num_queries(3):  # the speaker, the page's keys, its talks
        client.get("/talks/by/author/")


def test_a_speakers_talks_page(client, author):
    mine = TalkFactory(post__author=author)
    TalkFactory()
    response = client.get("/talks/by/author/")
    assert list(response.context["page"]) == [mine]
    assert "Talks by author" in response.content.decode()
    assert client.get("/talks/by/nobody/").status_code == 404


def test_timelines_show_talk_details(client):
    talk = TalkFactory(venue="Montréal", video_url="https://youtu.be/dQw4w9WgXcQ")
    PostFactory(body="A plain post")
    content = client.get("/").content.decode()
    assert content.count('class="badge text-bg-info">Talk</span>') == 1
    assert "Montréal" in content and f'href="/talks/{talk.pk}/"' in content


# --- a talk's page ----------------------------------------------------------------------------------------


def test_talk_page_shows_the_header_abstract_and_players(client):
    talk = TalkFactory(
        post__title="Flask by Example",
        post__body="An *abstract*",
        date=datetime(2030, 4, 12, 22, 30, tzinfo=zoneinfo.ZoneInfo("UTC")),
        venue="PyCon",
        venue_url="https://us.pycon.org/",
        video_url="https://youtu.be/dQw4w9WgXcQ?t=60",
        slides_url="https://speakerdeck.com/someone/some-deck",
    )
    client.cookies["tz"] = "Europe/Madrid"
    content = client.get(f"/talks/{talk.pk}/").content.decode()
    assert '<h1 id="talk-title" class="mb-2">Flask by Example</h1>' in content
    assert "<em>abstract</em>" in content
    assert "April 13, 2030, 12:30 a.m. CEST" in content  # the reader's time zone
    assert '<a href="https://us.pycon.org/" rel="nofollow ugc noopener">PyCon</a>' in content
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=60"' in content
    assert 'sandbox="allow-scripts allow-same-origin' in content and 'loading="lazy"' in content
    assert 'referrerpolicy="strict-origin-when-cross-origin"' in content
    # Speaker Deck's page address is not a player address: a link.
    assert '<a href="https://speakerdeck.com/someone/some-deck" rel="nofollow ugc noopener">' in content
    assert content.count("<iframe") == 1


def test_the_blog_address_of_a_talk_leads_to_its_page(client):
    talk = TalkFactory()
    response = client.get(f"/post/{talk.pk}/?page=last")
    assert response.status_code == 302 and response["Location"] == f"/talks/{talk.pk}/?page=last"


def test_talk_page_of_a_plain_post_or_nothing_is_404(client):
    assert client.get(f"/talks/{PostFactory().pk}/").status_code == 404
    assert client.get("/talks/999999/").status_code == 404


def test_talk_page_never_renders_markup_from_the_talk(client):
    talk = TalkFactory(
        post__title="<script>alert('title')</script>",
        post__body="<script>alert('body')</script> <iframe src=https://evil.example>",
        venue="<img src=x onerror=alert('venue')>",
    )
    # Values that got past the forms some other way (the shell, a bulk import) are still only text.
    Talk.objects.filter(pk=talk.pk).update(
        video_url="javascript:alert('video')", slides_url='https://x"y', venue_url="javascript:alert('venue')"
    )
    content = client.get(f"/talks/{talk.pk}/").content.decode()
    assert "<script>alert" not in content and "<img src=x" not in content and "javascript:" not in content
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in content
    assert "<iframe src=https://evil" not in content and content.count("<iframe") == 0


# --- publishing and editing -------------------------------------------------------------------------------


def test_publishing_a_talk(reader_client, reader):
    reader_client.cookies["tz"] = "America/New_York"
    response = reader_client.post("/talks/new/", talk_data())
    talk = Talk.objects.get()
    assert response["Location"] == f"/talks/{talk.pk}/"
    assert talk.post.author == reader and talk.post.title == "Flask by Example"
    assert talk.date == datetime(2030, 4, 12, 19, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))  # 15:30 in New York
    assert "The talk was added successfully." in reader_client.get(response["Location"]).content.decode()


def test_the_talk_form_shows_times_in_the_readers_time_zone(author_client, author):
    talk = TalkFactory(post__author=author, date=datetime(2030, 1, 1, 12, 0, tzinfo=zoneinfo.ZoneInfo("UTC")))
    author_client.cookies["tz"] = "Asia/Tokyo"
    content = author_client.get(f"/talks/{talk.pk}/edit/").content.decode()
    assert 'value="2030-01-01T21:00"' in content
    assert "In your time zone (Asia/Tokyo)." in content


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"venue": ""}, "venue"),
        ({"date": ""}, "date"),
        ({"date": "next tuesday"}, "date"),
        ({"body": "x" * 50_001}, "body"),
        ({"video_url": "javascript:alert(1)"}, "video_url"),
        ({"slides_url": "data:text/html,<b>x</b>"}, "slides_url"),
        ({"venue_url": "ftp://example.com/"}, "venue_url"),
        ({"video_url": "https://example.com/" + "x" * 500}, "video_url"),
    ],
)
def test_bad_talks_are_refused_and_nothing_is_saved(reader_client, changes, field):
    response = reader_client.post("/talks/new/", talk_data(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Post.objects.exists() and not Talk.objects.exists()


def test_embed_code_is_refused_with_a_clear_message(reader_client):
    code = '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>'
    response = reader_client.post("/talks/new/", talk_data(video_url=code))
    assert response.context["form"].errors["video_url"] == [
        "Paste the page's address (https://…), not its embed code."
    ]
    assert not Talk.objects.exists()


def test_preview_renders_the_abstract_without_saving(reader_client):
    response = reader_client.post("/talks/new/", talk_data(preview="1", body="**bold**"))
    assert "<strong>bold</strong>" in response.content.decode()
    assert not Talk.objects.exists()


def test_strangers_are_sent_to_log_in_and_writers_only_may_publish(client, login, monkeypatch):
    assert client.get("/talks/new/").status_code == 302
    assert client.post("/talks/new/", talk_data()).status_code == 302
    monkeypatch.setitem(roles.ROLE_PERMISSIONS, Role.USER, [roles.FOLLOW, roles.COMMENT])
    assert login(UserFactory()).post("/talks/new/", talk_data()).status_code == 403
    assert not Talk.objects.exists()


def test_the_speaker_edits_a_talk(author_client, author):
    talk = TalkFactory(post__author=author)
    assert "Flask" not in talk.post.title
    response = author_client.post(f"/talks/{talk.pk}/edit/", talk_data(venue="EuroPython"))
    assert response["Location"] == f"/talks/{talk.pk}/"
    talk.refresh_from_db()
    assert (talk.venue, talk.post.title, talk.post.author) == ("EuroPython", "Flask by Example", author)


def test_administrators_edit_any_talk_and_are_told(administrator_client):
    talk = TalkFactory()
    assert "as an administrator" in administrator_client.get(f"/talks/{talk.pk}/edit/").content.decode()
    administrator_client.post(f"/talks/{talk.pk}/edit/", talk_data(venue="Admin's venue"))
    assert Talk.objects.get().venue == "Admin's venue"


def test_others_may_not_edit_a_talk(reader_client, moderator_client, client):
    talk = TalkFactory(venue="Kept")
    for other in (reader_client, moderator_client):
        assert other.get(f"/talks/{talk.pk}/edit/").status_code == 403
        assert other.post(f"/talks/{talk.pk}/edit/", talk_data(venue="Changed")).status_code == 403
    assert client.post(f"/talks/{talk.pk}/edit/", talk_data(venue="Changed")).status_code == 302
    assert Talk.objects.get().venue == "Kept"
    assert reader_client.get("/talks/999999/edit/").status_code == 404


def test_the_blog_editor_sends_talks_to_the_talk_editor(author_client, author):
    talk = TalkFactory(post__author=author)
    response = author_client.post(f"/post/{talk.pk}/edit/", {"title": "", "body": "x"})
    assert response["Location"] == f"/talks/{talk.pk}/edit/"
    assert Post.objects.get().title == talk.post.title  # a talk never loses its title that way


def test_search_finds_talks_and_shows_their_details(client):
    talk = TalkFactory(post__title="Marathon training for speakers", venue="Boston")
    content = client.get("/search/", {"q": "marathon"}).content.decode()
    assert f'href="/talks/{talk.pk}/"' in content
    assert 'class="badge text-bg-info">Talk</span>' in content and "Boston" in content


def test_a_talk_without_a_title_is_refused_by_the_talk_title_rule(author_client):
    response = author_client.post(
        "/talks/new/",
        {"title": "   ", "body": "Abstract", "date": "2030-01-01T10:00", "venue": "Madrid"},
    )
    assert response.status_code == 400
    assert "A talk needs a title." in response.content.decode()
    assert not Talk.objects.exists()
