"""Talks in the Django admin: their details (the title and abstract are the post's, edited with posts)."""

from django.contrib import admin
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from blog.models import Post, PostKind
from flasky_project.admin import IdsInRange, InvalidFormIs400
from talks.models import Talk


@admin.register(Talk)
class TalkAdmin(IdsInRange, InvalidFormIs400, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # as the talk form
    list_display = ["__str__", "speaker", "date", "venue"]
    # No date_hierarchy: it converts every talk's date to the reader's zone in the database, which fails
    # for a row at the calendar's edge (flasky_project.dates); the filter by date never converts.
    list_filter = [("date", admin.DateFieldListFilter)]
    search_fields = ["post__title", "venue", "post__author__username"]
    list_select_related = ["post__author"]
    raw_id_fields = ["post"]
    ordering = ["-date"]

    # Deleting a talk here removes its details: its post stays, as a plain post again.
    def delete_model(self, request, obj):
        self.delete_queryset(request, Talk.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            Post.objects.filter(pk__in=queryset.values("post")).update(kind=PostKind.POST)
            queryset.delete()

    @admin.display(description=_("speaker"), ordering="post__author__username")
    def speaker(self, talk):
        return talk.post.author
