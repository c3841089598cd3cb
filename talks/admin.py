"""Talks in the Django admin: their details (the title and abstract are the post's, edited with posts)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from flasky_project.admin import IdsInRange, InvalidFormIs400
from talks.models import Talk


@admin.register(Talk)
class TalkAdmin(IdsInRange, InvalidFormIs400, admin.ModelAdmin):
    list_display = ["__str__", "speaker", "date", "venue"]
    # No date_hierarchy: it converts every talk's date to the reader's zone in the database, which fails
    # for a row at the calendar's edge (flasky_project.dates); the filter by date never converts.
    list_filter = [("date", admin.DateFieldListFilter)]
    search_fields = ["post__title", "venue", "post__author__username"]
    list_select_related = ["post__author"]
    raw_id_fields = ["post"]
    ordering = ["-date"]

    @admin.display(description=_("speaker"), ordering="post__author__username")
    def speaker(self, talk):
        return talk.post.author
