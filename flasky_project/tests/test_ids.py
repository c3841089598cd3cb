"""Ids in addresses: numbers past what a database stores are a 404, never a query that overflows."""

import pytest

from talks.models import Talk
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db

TOO_BIG = ["9223372036854775808", "99999999999999999999", "1" + "0" * 40]  # 2**63, 20 digits, 41 digits
PAGES = [
    "/talks/{id}/",
    "/talks/{id}/edit/",
    "/talks/comments/{id}/approve/",
    "/post/{id}/",
    "/post/{id}/edit/",
    "/post/{id}/comments.rss",
    "/comment/{id}/disable/",
    "/schedule/{id}/",
    "/schedule/{id}/edit/",
    "/edit-profile/{id}/",
]


@pytest.mark.parametrize("number", TOO_BIG)
@pytest.mark.parametrize("page", PAGES)
def test_pages_with_ids_too_big_for_the_database_are_404(administrator_client, page, number):
    assert administrator_client.get(page.format(id=number)).status_code == 404


@pytest.mark.parametrize("number", TOO_BIG)
def test_adding_a_talk_with_an_id_too_big_to_a_schedule_is_404(reader_client, number):
    TalkFactory()
    assert reader_client.post(f"/schedule/talks/{number}/add/").status_code == 404


def test_the_largest_id_is_looked_up(administrator_client, reader_client):
    TalkFactory()
    assert administrator_client.get("/talks/9223372036854775807/edit/").status_code == 404
    assert reader_client.post("/schedule/talks/9223372036854775807/add/").status_code == 404


@pytest.mark.parametrize("number", [*TOO_BIG, "9223372036854775807", "-1", "abc"])
@pytest.mark.parametrize("action", ["change", "history", "delete"])
def test_the_talk_admin_answers_unknown_ids_without_an_error(administrator_client, number, action):
    talk = TalkFactory()
    response = administrator_client.get(f"/admin/talks/talk/{number}/{action}/")
    assert response.status_code == 302  # the admin's answer: back to the list, "doesn't exist"
    assert Talk.objects.get() == talk


def test_the_ids_of_links_are_written_as_numbers():
    talk = TalkFactory.build(post__pk=42)
    assert talk.get_edit_url() == "/talks/42/edit/"
