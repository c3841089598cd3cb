"""The caller's notifications: the list (with the unread count) and marking them read."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts import inbox
from accounts.models import Notification, NotificationType
from api import links
from api.pagination import page_response
from api.permissions import IsConfirmedUser
from api.schema import MAX_ID, PAGE
from api.serializers import ErrorSerializer, Link, Timestamp
from api.views.base import APIView

PER_PAGE = 20
MAX_IDS = 100


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="For POST /api/v1/notifications/read.")
    type = serializers.ChoiceField(source="kind", choices=NotificationType.values, read_only=True)
    actor_url = Link("user", attr="actor_id", allow_null=True, help_text="null for guests and the site.")
    post_url = Link("post", attr="post_id", allow_null=True, help_text="The post it is about, or on.")
    comment_url = Link("comment", attr="comment_id", allow_null=True, help_text="The comment, or null.")
    read = serializers.BooleanField(read_only=True)
    timestamp = Timestamp(source="created")


class NotificationPageSerializer(serializers.Serializer):
    notifications = NotificationSerializer(many=True, read_only=True)
    prev = serializers.CharField(read_only=True, allow_null=True, help_text="The previous page.")
    next = serializers.CharField(read_only=True, allow_null=True, help_text="The next page.")
    count = serializers.IntegerField(read_only=True, help_text="Items in the whole list.")
    unread = serializers.IntegerField(read_only=True, help_text="How many of them are unread.")


class MarkReadInputSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=MAX_IDS,
        help_text="The notifications to mark read; without it, all of them.",
    )


class MarkReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(read_only=True, help_text="How many were unread.")
    unread = serializers.IntegerField(read_only=True, help_text="How many are unread now.")


class NotificationList(APIView):
    permission_classes = [IsConfirmedUser]

    @extend_schema(
        operation_id="listNotifications",
        summary="Your notifications, newest first, with how many are unread",
        parameters=[PAGE],
        responses=NotificationPageSerializer,
        tags=["notifications"],
    )
    def get(self, request):
        notifications = Notification.objects.for_user(request.user).newest_first().for_list()
        response = page_response(
            request,
            notifications,
            NotificationSerializer,
            key="notifications",
            per_page=PER_PAGE,
            path=links.collection("notifications"),
        )
        response.data["unread"] = Notification.objects.for_user(request.user).unread().count()
        return response


class MarkNotificationsRead(APIView):
    permission_classes = [IsConfirmedUser]

    @extend_schema(
        operation_id="markNotificationsRead",
        summary="Mark your notifications read: those in ids, or all",
        request=MarkReadInputSerializer,
        responses={200: MarkReadSerializer, 400: OpenApiResponse(ErrorSerializer, description="Bad ids.")},
        tags=["notifications"],
    )
    def post(self, request):
        data = self.payload(request) if request.stream is not None else {}
        if not isinstance(data, dict):
            raise ValidationError(_("Send a JSON object."))
        unknown = sorted(set(map(str, data)) - {"ids"})
        if unknown:
            raise ValidationError(_("Unknown field: %(fields)s.") % {"fields": ", ".join(unknown)})
        serializer = MarkReadInputSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        ids = serializer.validated_data.get("ids")
        marked = inbox.mark_read(request.user, ids)
        unread = Notification.objects.for_user(request.user).unread().count()
        return Response(MarkReadSerializer({"marked": marked, "unread": unread}).data)
