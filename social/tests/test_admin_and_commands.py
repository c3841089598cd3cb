"""Follows in the Django admin, and `fakedata --follows-per-user`."""

import pytest
from django.core.management import call_command
from django.db.models import F

from accounts.models import User
from social.models import Follow
from social.tests.factories import FollowFactory

pytestmark = pytest.mark.django_db


def test_moderators_see_follows_in_the_admin(moderator_client):
    FollowFactory()
    assert moderator_client.get("/admin/social/follow/").status_code == 200


def test_admin_searches_follows_by_either_user(administrator_client):
    FollowFactory(follower__username="findme")
    FollowFactory()
    response = administrator_client.get("/admin/social/follow/?q=findme")
    assert len(response.context["cl"].result_list) == 1


def test_moderators_cannot_search_follows_by_email(moderator_client, reader):
    FollowFactory(follower=reader)
    response = moderator_client.get("/admin/social/follow/", {"q": reader.email})
    assert list(response.context["cl"].result_list) == []
    assert len(moderator_client.get("/admin/social/follow/", {"q": "reader"}).context["cl"].result_list) == 1


def test_administrators_search_follows_by_email(administrator_client, reader):
    FollowFactory(follower=reader)
    response = administrator_client.get("/admin/social/follow/", {"q": reader.email})
    assert len(response.context["cl"].result_list) == 1


def test_admin_filters_follows_by_date(administrator_client):
    follow = FollowFactory()
    response = administrator_client.get(f"/admin/social/follow/?created__year={follow.created.year}")
    assert len(response.context["cl"].result_list) == 1
    response = administrator_client.get(f"/admin/social/follow/?created__year={follow.created.year - 1}")
    assert len(response.context["cl"].result_list) == 0


def test_fakedata_follows_are_distinct_and_never_self():
    call_command("fakedata", "--users", "30", "--follows-per-user", "5", "--seed", "3")
    assert Follow.objects.count() == 150
    assert not Follow.objects.filter(follower=F("followed")).exists()
    for user in User.objects.all():
        assert user.following.count() == 5
