"""Visitors sent to log in from a page that needs an account are told why (Flasky's login message)."""

import pytest

pytestmark = pytest.mark.django_db

GENERIC = "Please log in to access this page."
SCHEDULE = "Please log in to see your appointments."


def test_a_visitor_sent_to_log_in_is_told_why(client):
    response = client.get("/edit-profile/", follow=True)
    assert response.redirect_chain == [("/auth/login/?next=/edit-profile/", 302)]
    assert GENERIC in response.content.decode()


def test_the_schedule_says_it_in_its_own_words(client):
    response = client.get("/schedule/", follow=True)
    content = response.content.decode()
    assert SCHEDULE in content and GENERIC not in content


def test_the_login_page_opened_directly_says_nothing_of_the_kind(client):
    assert GENERIC not in client.get("/auth/login/").content.decode()


def test_the_message_is_said_once(client):
    client.get("/edit-profile/", follow=True)
    assert GENERIC not in client.get("/auth/login/").content.decode()


def test_a_logged_in_user_is_not_told_to_log_in(reader_client):
    response = reader_client.get("/edit-profile/")
    assert response.status_code == 200
    assert GENERIC not in response.content.decode()
