"""Posts and comments in the Django admin: search, filters, and logged bulk moderation for moderators."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from blog import services
from blog.models import Comment, Post
from flasky_project.admin import InvalidFormIs400


@admin.register(Post)
class PostAdmin(InvalidFormIs400, admin.ModelAdmin):
    list_display = ["__str__", "author", "created", "updated"]
    list_filter = [("created", admin.DateFieldListFilter)]
    date_hierarchy = "created"
    search_fields = ["title", "body", "author__username"]
    list_select_related = ["author"]
    raw_id_fields = ["author"]
    readonly_fields = ["body_html"]
    ordering = ["-created"]

    def save_model(self, request, obj, form, change):
        if change:
            services.edit_post(obj, body=obj.body, title=obj.title)
        else:
            super().save_model(request, obj, form, change)
            services.update_tags(obj)


def _moderation_action(disabled):
    def action(modeladmin, request, queryset):
        changed = list(queryset.exclude(disabled=disabled).select_related("post"))
        for comment in changed:
            services.set_disabled(comment, disabled, by=request.user)
            modeladmin.log_change(request, comment, _("Disabled.") if disabled else _("Enabled."))
        modeladmin.message_user(
            request,
            ngettext("%(count)d comment updated.", "%(count)d comments updated.", len(changed))
            % {"count": len(changed)},
            messages.SUCCESS,
        )

    action.__name__ = "disable_comments" if disabled else "enable_comments"
    action.short_description = (
        _("Disable the selected comments") if disabled else _("Enable the selected comments")
    )
    action.allowed_permissions = ("change",)
    return action


@admin.action(description=_("Approve the selected comments"), permissions=["change"])
def approve_comments(modeladmin, request, queryset):
    """Publish guests' comments that wait for approval (and announce them), each logged. One already
    published, or that the moderator may not approve, is skipped (the count says how many were)."""
    approved = 0
    for comment in queryset.filter(approved=False).select_related("post"):
        try:
            services.approve_comment(comment, by=request.user)
        except services.ModerationRefused:
            continue
        modeladmin.log_change(request, comment, _("Approved."))
        approved += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d comment approved.", "%(count)d comments approved.", approved)
        % {"count": approved},
        messages.SUCCESS,
    )


@admin.register(Comment)
class CommentAdmin(InvalidFormIs400, admin.ModelAdmin):
    list_display = ["__str__", "display_name", "post", "created", "approved", "disabled"]
    list_filter = ["disabled", "approved", ("created", admin.DateFieldListFilter)]
    date_hierarchy = "created"
    search_fields = ["body", "author__username", "guest_name", "guest_email", "post__title"]
    list_select_related = ["author", "post"]
    raw_id_fields = ["author", "post"]
    readonly_fields = ["body_html"]
    ordering = ["-created"]
    actions = [approve_comments, _moderation_action(True), _moderation_action(False)]

    def get_readonly_fields(self, request, obj=None):
        # Moderators moderate, they never rewrite: a comment's author, text, post and date are its writer's
        # record. They may disable or enable it, and approve it while it waits; administrators edit it all.
        if request.user.is_superuser:
            return self.readonly_fields
        moderation = {"disabled"} | ({"approved"} if obj is not None and not obj.approved else set())
        editable = [field.name for field in self.model._meta.fields if field.editable]
        return [*self.readonly_fields, *(name for name in editable if name not in moderation)]

    def save_model(self, request, obj, form, change):
        """Approving goes through the one approval (dated when published, announced, the approver
        recorded); a change of nothing but the disabled flag through the one moderation."""
        changed = set(form.changed_data)
        approving = change and "approved" in changed and obj.approved
        if approving:
            obj.approved = False  # published by services.approve_comment below
            changed.discard("approved")
        if not change or changed - {"disabled"}:
            super().save_model(request, obj, form, change)
        elif changed:
            services.set_disabled(obj, obj.disabled, by=request.user)
        if approving:
            try:
                services.approve_comment(obj, by=request.user)
            except services.ModerationRefused as refusal:  # approved meanwhile, by another moderator
                self.message_user(request, refusal.message, messages.WARNING)
