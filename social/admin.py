"""Follows in the Django admin: who follows whom since when, searchable by either user."""

from django.contrib import admin

from accounts.roles import sees_member_emails
from flasky_project.admin import InvalidFormIs400
from social.models import Follow


@admin.register(Follow)
class FollowAdmin(InvalidFormIs400, admin.ModelAdmin):
    list_display = ["follower", "followed", "created"]
    list_filter = [("created", admin.DateFieldListFilter)]
    date_hierarchy = "created"
    search_fields = ["follower__username", "follower__email", "followed__username", "followed__email"]
    list_select_related = ["follower", "followed"]
    raw_id_fields = ["follower", "followed"]
    ordering = ["-created"]

    def get_search_fields(self, request):
        # A search by address would tell a moderator whose address it is (see accounts.roles).
        fields = super().get_search_fields(request)
        return fields if sees_member_emails(request.user) else [f for f in fields if not f.endswith("email")]
