"""The notifications page, marking read, the navbar's bell and its count endpoint, the preferences."""

import datetime
import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Notification, NotificationDigest, SiteOptOut
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def notify(recipient, kind="follow", *, actor=None, target=None, days_ago=0, **fields):
    actor = actor or UserFactory()
    return Notification.objects.create(
        recipient=recipient,
        kind=kind,
        actor=actor,
        target_type=ContentType.objects.get_for_model(target) if target else None,
        target_id=target.pk if target else None,
        url=fields.pop("url", actor.get_absolute_url()),
        created=timezone.now() - timedelta(days=days_ago),
        **fields,
    )


def unread(user):
    return Notification.objects.filter(recipient=user, read=False).count()


def test_the_page_needs_login(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and response["Location"].startswith("/auth/login/")


def test_the_page_lists_newest_first_grouped_by_day_and_marks_them_read(reader_client, reader):
    old = notify(reader, actor=UserFactory(username="olga"), days_ago=3)
    new = notify(reader, actor=UserFactory(username="nina"))
    response = reader_client.get("/notifications/")
    days = response.context["days"]
    assert [[group.newest for group in day.groups] for day in days] == [[new], [old]]
    content = response.content.decode()
    assert content.index("<b>nina</b> started following you.") < content.index(
        "<b>olga</b> started following"
    )
    assert "Today" in content
    assert unread(reader) == 0


def test_the_page_marks_only_what_it_shows(reader_client, reader):
    for days_ago in range(25):
        notify(reader, days_ago=days_ago)
    response = reader_client.get("/notifications/")
    assert sum(len(group.notifications) for day in response.context["days"] for group in day.groups) == 20
    assert response.context["page_obj"].has_next()
    assert unread(reader) == 5
    assert reader_client.get("/notifications/?page=2").status_code == 200
    assert unread(reader) == 0


def test_likes_of_one_thing_on_one_day_are_grouped(reader_client, reader):
    target = UserFactory()  # any model: grouping is by kind, target and day
    for name in ("ann", "bea", "cid", "alice"):
        notify(reader, "like", actor=UserFactory(username=name), target=target, summary="Hello")
    notify(
        reader, "like", actor=UserFactory(username="yesterday"), target=target, days_ago=1, summary="Hello"
    )
    response = reader_client.get("/notifications/")
    today, yesterday = response.context["days"]
    (group,) = today.groups
    assert len(group.notifications) == 4 and group.others == 3
    assert "<b>alice</b> and 3 others liked your post “Hello”." in response.content.decode()
    assert len(yesterday.groups) == 1


def test_kinds_are_worded_in_spanish(reader_client, reader):
    reader.language = "es"
    reader.save()
    notify(reader, "mention", actor=UserFactory(username="bob"), summary="Viaje")
    response = reader_client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="es")
    assert "<b>bob</b> te ha mencionado en «Viaje»." in response.content.decode()


def test_mark_all_as_read_without_javascript(reader_client, reader):
    notify(reader)
    notify(reader)
    response = reader_client.post("/notifications/read/", {"next": "/notifications/"})
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert unread(reader) == 0


def test_mark_one_as_read_in_place(reader_client, reader):
    first, second = notify(reader), notify(reader)
    response = reader_client.post("/notifications/read/", {"id": first.pk}, **JSON)
    assert response.json() == {"marked": 1, "unread": 1}
    first.refresh_from_db(), second.refresh_from_db()
    assert first.read and not second.read


def test_nobody_marks_someone_elses_notifications(reader_client, author):
    theirs = notify(author)
    response = reader_client.post("/notifications/read/", {"id": theirs.pk}, **JSON)
    assert response.json()["marked"] == 0
    assert unread(author) == 1


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999"])
def test_marking_a_bad_id_is_a_400(reader_client, reader, value):
    notify(reader)
    response = reader_client.post("/notifications/read/", {"id": value}, **JSON)
    assert response.status_code == 400
    assert unread(reader) == 1


def test_marking_read_needs_a_post(reader_client):
    assert reader_client.get("/notifications/read/").status_code == 405


def test_the_count_endpoint_answers_the_unread_count_with_the_users_query(
    reader_client, reader, django_assert_num_queries
):
    notify(reader)
    notify(reader, read=True)
    reader_client.get("/notifications/unread-count")  # the session is cached from here on
    # the session's user, with the count, from its copy kept in the cache (accounts.backends): no query
    with django_assert_num_queries(0):
        response = reader_client.get("/notifications/unread-count")
    assert response.json() == {"unread": 1}
    assert "private" in response["Cache-Control"]


def test_the_count_endpoint_needs_login(client):
    assert client.get("/notifications/unread-count").status_code == 302


def test_the_bell_shows_the_count_in_the_navbar_without_a_query_of_its_own(
    reader_client, reader, django_assert_num_queries
):
    for _ in range(3):
        notify(reader)
    reader_client.get("/settings/email/")
    # the opt-outs twice, the digest switch (the navbar's pending count is cached; the user, with the count,
    # is the session's copy kept in the cache: accounts.backends)
    with django_assert_num_queries(3):
        response = reader_client.get("/settings/email/")
    content = response.content.decode()
    assert 'aria-label="Notifications: 3 unread"' in content
    assert 'data-notifications-count aria-hidden="true">3</span>' in content


def test_a_full_page_of_notifications_takes_a_fixed_number_of_queries(
    reader_client, reader, django_assert_num_queries
):
    for days_ago in range(30):
        notify(reader, "like", target=UserFactory(), days_ago=days_ago % 3)
    reader_client.get("/notifications/?page=2")
    # a visit minutes ago left the list's total in the cache (pagination.list_total)
    reader_client.get("/notifications/")
    Notification.objects.update(read=False)  # all new since that visit
    # the user, the page's keys, its rows with actors, marking them read
    with django_assert_num_queries(4):
        response = reader_client.get("/notifications/")
    assert len(response.context["page_obj"]) == 20


def test_preferences_switch_the_site_and_email_apart_and_the_digest_on(reader_client, reader):
    response = reader_client.post(
        "/settings/email/", {"new_follower": "on", "site_comments_on_my_posts": "on", "digest": "on"}
    )
    assert response.status_code == 302
    assert not reader.email_opt_outs.filter(kind="new_follower").exists()
    assert SiteOptOut.objects.filter(user=reader, kind="new_follower").exists()
    assert not SiteOptOut.objects.filter(user=reader, kind="comments_on_my_posts").exists()
    assert NotificationDigest.objects.filter(user=reader).exists()


def test_times_are_moments_that_the_browser_words_in_the_readers_zone(reader_client, reader):
    """As on the cached cards (flasky_project.templatetags.flasky.moment): the page holds the moment in UTC
    and site.js words it ("3 hours ago") in the reader's language and zone; without JavaScript the date and
    time in the reader's zone stay (the page is the reader's own). Nothing is worded "ago" on the server."""
    reader.timezone = "Asia/Tokyo"
    reader.save()
    notification = notify(reader)
    yesterday = timezone.now() - timedelta(days=1)
    notification.created = yesterday.replace(hour=23, minute=30, second=0, microsecond=0)
    notification.save()
    content = reader_client.get("/notifications/").content.decode()
    moment = notification.created.astimezone(datetime.UTC).isoformat()
    assert f'<time datetime="{moment}" data-reltime>' in content
    assert re.search(r"data-reltime>[^<]*8:30 a\.m\.</time>", content)  # (23:30 UTC is 8:30 in Tokyo)
    assert " ago<" not in content


# --- kept for their reader (flasky_project.shells) ----------------------------------------------------------


def items(response):
    return re.findall(r'<li class="list-group-item[^"]*"', response.content.decode())


def test_a_readers_notifications_are_kept_for_them_and_each_change_shows_next(
    login, served, django_assert_num_queries
):
    reader = UserFactory()
    # (people made now: a new account later would renew the page generation, and hide what is tested)
    actors = [UserFactory() for _ in range(5)]
    notify(reader, actor=actors[0])
    client = login(reader)
    first = client.get("/notifications/")  # drawn, and what it shows marked read
    assert "list-group-item-info" in first.content.decode() and unread(reader) == 0
    client.get("/notifications/")  # drawn again (nothing new, nothing to mark), and kept
    with django_assert_num_queries(0):  # the page kept for its reader, their account its kept copy
        kept = client.get("/notifications/")
    assert served == [1] and len(items(kept)) == 1 and "list-group-item-info" not in kept.content.decode()
    # One that is not the newest (made long ago; or made first and committed last): the newest is the
    # same, and once it is marked read the unread count is again what it was when the page was kept; the
    # marking renewed the generation of the reader's page.
    notify(reader, actor=actors[1], days_ago=30)
    page = client.get("/notifications/")
    assert len(items(page)) == 2 and "list-group-item-info" in page.content.decode()
    assert unread(reader) == 0
    assert len(items(client.get("/notifications/"))) == 2
    notify(reader, actor=actors[2])  # a new one, newest
    assert len(items(client.get("/notifications/"))) == 3
    # Marked read elsewhere (the button): the next page is drawn without the highlight.
    notify(reader, actor=actors[3])
    client.post("/notifications/read/")
    assert "list-group-item-info" not in client.get("/notifications/").content.decode()
    # An actor renamed shows too (the page generation watches people).
    actors[3].username = "renamed_actor"
    actors[3].save()
    assert "renamed_actor" in client.get("/notifications/").content.decode()
    # Never another reader's: theirs is their own page.
    other = login(actors[4])
    for _ in range(3):
        assert items(other.get("/notifications/")) == []


def test_a_delivery_and_a_marking_renew_the_readers_page_generation_now_and_when_they_commit(
    django_capture_on_commit_callbacks,
):
    from accounts import inbox, notifications  # noqa: PLC0415
    from flasky_project import pagecache  # noqa: PLC0415

    reader, follower = UserFactory(), UserFactory()
    key = notifications.page_generation_key(reader.pk)
    before = pagecache.current_generation(key)
    with django_capture_on_commit_callbacks() as callbacks:
        notifications.new_follower(follower=follower, followed=reader)
    at_once = pagecache.current_generation(key)
    assert at_once != before and unread(reader) == 1
    for callback in callbacks:  # the commit
        callback()
    delivered = pagecache.current_generation(key)
    assert delivered != at_once
    with django_capture_on_commit_callbacks(execute=True):
        inbox.mark_read(reader, [])  # nothing marked: nothing renewed
    assert pagecache.current_generation(key) == delivered
    with django_capture_on_commit_callbacks() as callbacks:
        inbox.mark_read(reader)
    marked = pagecache.current_generation(key)
    assert marked != delivered
    for callback in callbacks:  # the commit
        callback()
    assert pagecache.current_generation(key) != marked


def test_a_kept_notifications_page_is_kept_for_the_readers_state_and_day(monkeypatch):
    """The key holds the reader's page generation, the newest notification's id, the unread count and
    the reader's today (its "Today" heading)."""
    from django.test import RequestFactory  # noqa: PLC0415

    from accounts import notifications  # noqa: PLC0415
    from accounts.views import _notifications_varies  # noqa: PLC0415

    reader = UserFactory()
    newest = notify(reader)
    notify(reader, days_ago=2)
    request = RequestFactory().get("/notifications/")
    request.user = reader  # read some other way: drawn each time
    assert _notifications_varies(request) is None
    request.user = type(reader).objects.with_unread_count().get(pk=reader.pk)
    generation = notifications.page_generation(reader.pk)
    today = timezone.localdate().isoformat()
    assert _notifications_varies(request) == ("notifications", reader.pk, generation, newest.pk, 2, today)
    # At noon UTC it is already tomorrow on Kiritimati (UTC+14): the reader's day, not the server's.
    noon = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: noon)
    with timezone.override("Pacific/Kiritimati"):
        assert _notifications_varies(request)[-1] == "2026-06-02"
    assert _notifications_varies(request)[-1] == "2026-06-01"
