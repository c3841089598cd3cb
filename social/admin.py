"""Follows, blocks and mutes in the Django admin: who follows, blocks or mutes whom since when, searchable by
either user."""

from django.contrib import admin

from accounts.roles import sees_member_emails
from flasky_project.admin import InvalidFormIs400
from social.models import Block, Follow, Mute


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


class _RelationAdmin(InvalidFormIs400, admin.ModelAdmin):
    """Blocks and mutes: administrators may change them; moderators read them (their role grants only the
    view permission, see SocialConfig.role_permissions)."""

    list_filter = [("created", admin.DateFieldListFilter)]
    date_hierarchy = "created"
    ordering = ["-created"]

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        return fields if sees_member_emails(request.user) else [f for f in fields if not f.endswith("email")]


@admin.register(Block)
class BlockAdmin(_RelationAdmin):
    list_display = ["blocker", "blocked", "created"]
    search_fields = ["blocker__username", "blocker__email", "blocked__username", "blocked__email"]
    list_select_related = ["blocker", "blocked"]
    raw_id_fields = ["blocker", "blocked"]


@admin.register(Mute)
class MuteAdmin(_RelationAdmin):
    list_display = ["muter", "muted", "created", "until"]
    search_fields = ["muter__username", "muter__email", "muted__username", "muted__email"]
    list_select_related = ["muter", "muted"]
    raw_id_fields = ["muter", "muted"]
