"""Roles answered from memory: the role field and the table in accounts.roles decide, never auth Groups."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from accounts import roles
from accounts.models import Role, User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_permissions_cost_no_query(django_assert_num_queries):
    user = User.objects.get(pk=UserFactory(role=Role.MODERATOR).pk)
    with django_assert_num_queries(0):
        assert user.has_perm(roles.MODERATE)
        assert user.has_perm("blog.change_comment")
        assert not user.has_perm(roles.ADMIN)
        assert user.has_module_perms("blog")
        assert not user.has_module_perms("schedule")


@pytest.mark.parametrize("path", ["/", "/admin/", "/admin/blog/comment/"])
def test_pages_never_read_the_permission_tables(moderator_client, path, django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as captured:
        assert moderator_client.get(path).status_code == 200
    assert not [query for query in captured.captured_queries if '"auth_' in query["sql"]]


def test_apps_grant_moderators_their_admin_permissions():
    moderator = UserFactory(role=Role.MODERATOR)
    assert {"accounts.view_user", "blog.view_comment", "blog.change_comment", "talks.view_talk"} <= (
        moderator.get_all_permissions()
    )
    assert not moderator.has_perm("blog.delete_comment")
    assert not UserFactory(role=Role.USER).has_perm("blog.view_comment")


def test_administrators_hold_every_permission_of_every_model_without_a_query(django_assert_num_queries):
    administrator = User.objects.get(pk=UserFactory(role=Role.ADMINISTRATOR).pk)
    with django_assert_num_queries(0):
        names = administrator.get_all_permissions()
    assert names == {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }


def test_a_role_change_is_seen_by_the_next_check():
    user = UserFactory()
    assert not user.has_perm(roles.MODERATE)
    user.role = Role.MODERATOR
    assert user.has_perm(roles.MODERATE)


def test_groups_in_the_database_decide_nothing():
    # A group named like an old role group, holding every permission: no role reads it any more.
    Group.objects.create(name="User").permissions.set(Permission.objects.all())
    assert not UserFactory().has_perm(roles.MODERATE)


def test_migrating_removes_the_old_role_groups_and_their_permissions():
    for name in ["User", "Moderator", "Administrator", "Editors"]:
        Group.objects.create(name=name).permissions.set(Permission.objects.filter(codename="moderate"))
    migration = importlib.import_module("accounts.migrations.0003_remove_role_groups")
    migration.remove_role_groups(apps, schema_editor=None)
    assert list(Group.objects.values_list("name", flat=True)) == ["Editors"]
    assert Group.permissions.through.objects.get().group.name == "Editors"


def test_the_group_admin_is_gone(administrator_client):
    assert administrator_client.get("/admin/auth/group/").status_code == 404


# --- User.objects.with_perm -------------------------------------------------------------------------------


@pytest.fixture
def everyone(db):
    return {
        "user": UserFactory(role=Role.USER),
        "moderator": UserFactory(role=Role.MODERATOR),
        "administrator": UserFactory(role=Role.ADMINISTRATOR),
        "inactive moderator": UserFactory(role=Role.MODERATOR, is_active=False),
        "inactive administrator": UserFactory(role=Role.ADMINISTRATOR, is_active=False),
    }


def _names(everyone, users):
    found = set(users)
    return {name for name, user in everyone.items() if user in found}


@pytest.mark.parametrize(
    ("perm", "expected"),
    [
        (roles.WRITE, {"user", "moderator", "administrator"}),
        (roles.MODERATE, {"moderator", "administrator"}),
        ("blog.change_comment", {"moderator", "administrator"}),
        (roles.ADMIN, {"administrator"}),
        ("schedule.delete_appointment", {"administrator"}),
    ],
)
def test_with_perm_answers_for_each_role(everyone, perm, expected):
    assert _names(everyone, User.objects.with_perm(perm)) == expected


def test_with_perm_accepts_a_permission_object(everyone):
    moderate = Permission.objects.get(content_type__app_label="accounts", codename="moderate")
    assert _names(everyone, User.objects.with_perm(moderate)) == {"moderator", "administrator"}


def test_with_perm_can_leave_out_administrators(everyone):
    users = User.objects.with_perm(roles.MODERATE, include_superusers=False)
    assert _names(everyone, users) == {"moderator"}
    assert not User.objects.with_perm(roles.ADMIN, include_superusers=False).exists()


def test_with_perm_finds_inactive_users_when_asked(everyone):
    inactive = User.objects.with_perm(roles.MODERATE, is_active=False)
    assert _names(everyone, inactive) == {"inactive moderator", "inactive administrator"}
    anyone = User.objects.with_perm(roles.MODERATE, is_active=None)
    assert _names(everyone, anyone) == {
        "moderator",
        "administrator",
        "inactive moderator",
        "inactive administrator",
    }


def test_with_perm_on_an_object_finds_nobody(everyone):
    assert not User.objects.with_perm(roles.WRITE, obj=everyone["user"]).exists()


def test_with_perm_refuses_a_malformed_name(everyone):
    with pytest.raises(ValueError, match="app_label.codename"):
        User.objects.with_perm("moderate")
