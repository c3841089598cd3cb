"""The Django admin for users: who gets in, what they may do, and the audit log."""

import pytest
from django.contrib.admin.models import LogEntry

from accounts.models import Role, User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_users_cannot_reach_the_admin(reader_client):
    assert reader_client.get("/admin/", follow=True).status_code == 403


def test_strangers_are_sent_to_the_site_login(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/auth/login/?next=")


def test_moderators_may_view_users_but_not_change_them(moderator_client, reader):
    assert moderator_client.get("/admin/").status_code == 200
    assert moderator_client.get("/admin/accounts/user/").status_code == 200
    response = moderator_client.post(
        f"/admin/accounts/user/{reader.pk}/change/", {"email": reader.email, "username": "renamed"}
    )
    assert response.status_code == 403
    assert User.objects.get(pk=reader.pk).username == "reader"


def test_user_list_searches_and_filters(administrator_client):
    UserFactory(username="findme", role=Role.MODERATOR)
    UserFactory(username="leftout")
    response = administrator_client.get("/admin/accounts/user/?q=findme&role__exact=moderator")
    assert [user.username for user in response.context["cl"].result_list] == ["findme"]


def test_set_role_action_changes_roles_and_logs_each_change(administrator_client):
    users = [UserFactory(), UserFactory()]
    administrator_client.post(
        "/admin/accounts/user/",
        {"action": "make_moderator", "_selected_action": [user.pk for user in users]},
    )
    assert set(User.objects.filter(pk__in=[u.pk for u in users]).values_list("role", flat=True)) == {
        "moderator"
    }
    assert LogEntry.objects.filter(object_id__in=[str(u.pk) for u in users]).count() == 2


def test_deactivate_action_spares_the_acting_administrator(administrator_client, administrator, reader):
    administrator_client.post(
        "/admin/accounts/user/",
        {"action": "deactivate", "_selected_action": [administrator.pk, reader.pk]},
    )
    assert User.objects.get(pk=administrator.pk).is_active
    assert not User.objects.get(pk=reader.pk).is_active
    assert LogEntry.objects.filter(object_id=str(reader.pk), change_message="Deactivated.").exists()


def test_admin_can_add_a_user_and_flasky_admin_applies(administrator_client, settings):
    settings.FLASKY_ADMIN = ["chief@example.com"]
    response = administrator_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "chief@example.com",
            "username": "chief",
            "usable_password": "true",
            "password1": "a-long-enough-password-1",
            "password2": "a-long-enough-password-1",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="chief").role == Role.ADMINISTRATOR


def test_admin_confirming_a_user_keeps_allauth_in_step(administrator_client, unconfirmed):
    data = {
        "email": unconfirmed.email,
        "username": unconfirmed.username,
        "role": Role.USER,
        "confirmed": "on",
        "is_active": "on",
        "member_since_0": "2026-01-01",
        "member_since_1": "00:00:00",
    }
    response = administrator_client.post(f"/admin/accounts/user/{unconfirmed.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    unconfirmed.refresh_from_db()
    assert unconfirmed.confirmed
    assert unconfirmed.emailaddress_set.get().verified


def test_an_added_user_has_allauths_email_record(administrator_client):
    administrator_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "New.Person@Example.com",
            "username": "newperson",
            "usable_password": "true",
            "password1": "a-long-enough-password-1",
            "password2": "a-long-enough-password-1",
        },
    )
    user = User.objects.get(username="newperson")
    assert user.email == "new.person@example.com"
    assert user.emailaddress_set.get().email == "new.person@example.com"  # so they can log in and reset


def test_a_mixed_case_email_is_stored_lower_case_not_refused(administrator_client, reader):
    data = {
        "email": "Reader.New@Example.com",
        "username": reader.username,
        "role": Role.USER,
        "confirmed": "on",
        "is_active": "on",
        "member_since_0": "2026-01-01",
        "member_since_1": "00:00:00",
    }
    response = administrator_client.post(f"/admin/accounts/user/{reader.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    reader.refresh_from_db()
    assert reader.email == "reader.new@example.com"
    assert reader.emailaddress_set.get(primary=True).email == "reader.new@example.com"


def test_administrators_do_not_demote_themselves(administrator_client, administrator, reader):
    administrator_client.post(
        "/admin/accounts/user/",
        {"action": "make_user", "_selected_action": [administrator.pk, reader.pk]},
    )
    assert User.objects.get(pk=administrator.pk).role == Role.ADMINISTRATOR
    page = administrator_client.get(f"/admin/accounts/user/{administrator.pk}/change/").content.decode()
    assert 'name="role"' not in page and 'name="is_active"' not in page  # shown read-only
    assert (
        'name="role"'
        in administrator_client.get(f"/admin/accounts/user/{reader.pk}/change/").content.decode()
    )


# --- members' email addresses: administrators only, as on profiles ---------------------------------------


def test_moderators_do_not_see_emails_in_the_user_list(moderator_client, reader):
    page = moderator_client.get("/admin/accounts/user/").content.decode()
    assert "reader" in page and reader.email not in page


def test_moderators_cannot_search_users_by_email(moderator_client, reader):
    for query in [reader.email, "example.com", "@"]:
        response = moderator_client.get("/admin/accounts/user/", {"q": query})
        assert list(response.context["cl"].result_list) == [], query


@pytest.mark.parametrize("lookup", ["email", "email__startswith", "email__iregex", "email__contains"])
def test_moderators_cannot_filter_users_by_email(moderator_client, reader, lookup):
    response = moderator_client.get("/admin/accounts/user/", {lookup: "reader"})
    assert response.status_code == 400


def test_moderators_do_not_see_the_email_on_the_user_form(moderator_client, reader):
    response = moderator_client.get(f"/admin/accounts/user/{reader.pk}/change/")
    page = response.content.decode()
    assert response.status_code == 200 and "reader" in page and reader.email not in page


def test_moderators_do_not_see_emails_when_choosing_a_comments_author(moderator_client, reader):
    page = moderator_client.get("/admin/accounts/user/", {"_to_field": "id", "_popup": "1"}).content
    assert reader.email not in page.decode()


def test_administrators_see_and_search_emails(administrator_client, reader):
    assert reader.email in administrator_client.get("/admin/accounts/user/").content.decode()
    response = administrator_client.get("/admin/accounts/user/", {"q": reader.email})
    assert list(response.context["cl"].result_list) == [reader]
    response = administrator_client.get("/admin/accounts/user/", {"email__startswith": "reader"})
    assert list(response.context["cl"].result_list) == [reader]
    page = administrator_client.get(f"/admin/accounts/user/{reader.pk}/change/").content.decode()
    assert f'value="{reader.email}"' in page


def test_the_admin_index_names_the_two_account_apps_apart(administrator_client):
    content = administrator_client.get("/admin/").content.decode()
    assert "Users and profiles" in content  # ours: users, roles and profiles
    assert content.count(">Accounts</a>") == 1  # allauth's: email addresses


def test_the_admin_pages_load_the_admin_stylesheet(administrator_client):
    content = administrator_client.get("/admin/accounts/user/").content.decode()
    assert "/static/css/admin.css" in content


def test_the_admin_user_form_chooses_the_time_zone_from_a_list(administrator_client, reader):
    page = administrator_client.get(f"/admin/accounts/user/{reader.pk}/change/").content.decode()
    assert '<select name="timezone"' in page and '<option value="Europe/Madrid">' in page
    data = {
        "email": reader.email,
        "username": reader.username,
        "role": Role.USER,
        "confirmed": "on",
        "is_active": "on",
        "timezone": "Europe/Madrid",
    }
    response = administrator_client.post(f"/admin/accounts/user/{reader.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    reader.refresh_from_db()
    assert reader.timezone == "Europe/Madrid"
    response = administrator_client.post(
        f"/admin/accounts/user/{reader.pk}/change/", {**data, "timezone": "Mars/Olympus"}
    )
    assert response.status_code == 200 and "Select a valid choice." in response.content.decode()
    reader.refresh_from_db()
    assert reader.timezone == "Europe/Madrid"
