"""Reports, sanctions and the audit log in the Django admin. The audit log and sanctions are read-only: they
record what happened, and are written by moderation.services only."""

from django.contrib import admin

from moderation.models import AuditEntry, Report, Sanction


class ReadOnlyAdmin(admin.ModelAdmin):
    """Nobody adds, changes or deletes a record here, administrators included."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "reporter", "kind", "reason", "created", "resolved_at", "action"]
    list_filter = ["kind", "reason", "action", ("resolved_at", admin.EmptyFieldListFilter)]
    list_select_related = ["reporter", "post", "comment", "user"]
    search_fields = ["reporter__username", "user__username", "message", "note"]
    date_hierarchy = "created"
    ordering = ["-created"]


@admin.register(Sanction)
class SanctionAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "until", "by", "created", "shown_at"]
    list_filter = ["kind"]
    list_select_related = ["user", "by"]
    search_fields = ["user__username", "note"]
    date_hierarchy = "created"
    ordering = ["-created"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created", "actor", "action", "target_kind", "target_label", "detail", "note"]
    list_filter = ["action", "target_kind"]
    list_select_related = ["actor"]
    search_fields = ["target_label", "note", "actor__username"]
    date_hierarchy = "created"
    ordering = ["-created", "-id"]
