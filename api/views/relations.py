"""Blocking and muting users, and the lists of the people you block and mute."""

from django.conf import settings
from django.db.models import OuterRef
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api import links
from api.pagination import page_response
from api.permissions import IsConfirmedUser
from api.schema import PAGE
from api.serializers import (
    BlockedPageSerializer,
    BlockedSerializer,
    BlockStateSerializer,
    ErrorSerializer,
    MutedPageSerializer,
    MutedSerializer,
    MuteInputSerializer,
    MuteStateSerializer,
)
from api.views.base import APIView
from api.views.users import _copy_post_count, _get_target, _post_count
from social import services
from social.models import Block, Mute

_SELF = OpenApiResponse(ErrorSerializer, description="You can't block or mute yourself.")


def _self_refused(error):
    return ValidationError(error.messages[0])


class UserBlock(APIView):
    """POST blocks a user (and ends the follows both ways), DELETE unblocks; both idempotent."""

    permission_classes = [IsConfirmedUser]

    @extend_schema(
        operation_id="blockUser",
        summary="Block a user: neither sees the other's posts and comments; they can't follow you",
        request=None,
        responses={200: BlockStateSerializer, 400: _SELF},
        tags=["users"],
    )
    def post(self, request, pk):
        user = _get_target(pk)
        try:
            services.block(blocker=request.user, blocked=user)
        except services.CannotBlockSelf as error:
            raise _self_refused(error) from error
        return _block_state(user, blocking=True)

    @extend_schema(
        operation_id="unblockUser",
        summary="Stop blocking a user",
        responses={200: BlockStateSerializer, 400: _SELF},
        tags=["users"],
    )
    def delete(self, request, pk):
        user = _get_target(pk)
        try:
            services.unblock(blocker=request.user, blocked=user)
        except services.CannotBlockSelf as error:
            raise _self_refused(error) from error
        return _block_state(user, blocking=False)


def _block_state(user, *, blocking):
    data = {"user_url": links.resource("user", user.pk), "blocking": blocking}
    return Response(BlockStateSerializer(data).data)


class UserMute(APIView):
    """POST mutes a user for ``days`` (or for good), DELETE unmutes; both idempotent."""

    permission_classes = [IsConfirmedUser]

    @extend_schema(
        operation_id="muteUser",
        summary="Mute a user: their posts and comments leave your lists, their notifications stop",
        request=MuteInputSerializer,
        responses={200: MuteStateSerializer, 400: _SELF},
        tags=["users"],
    )
    def post(self, request, pk):
        user = _get_target(pk)
        serializer = MuteInputSerializer(data=self.payload(request))
        serializer.is_valid(raise_exception=True)
        try:
            row = services.mute(muter=request.user, muted=user, days=serializer.validated_data.get("days"))
        except services.CannotBlockSelf as error:
            raise _self_refused(error) from error
        return _mute_state(user, muting=True, until=row.until)

    @extend_schema(
        operation_id="unmuteUser",
        summary="Stop muting a user",
        responses={200: MuteStateSerializer, 400: _SELF},
        tags=["users"],
    )
    def delete(self, request, pk):
        user = _get_target(pk)
        try:
            services.unmute(muter=request.user, muted=user)
        except services.CannotBlockSelf as error:
            raise _self_refused(error) from error
        return _mute_state(user, muting=False, until=None)


def _mute_state(user, *, muting, until):
    data = {"user_url": links.resource("user", user.pk), "muting": muting, "until": until}
    return Response(MuteStateSerializer(data).data)


class BlockList(APIView):
    permission_classes = [IsConfirmedUser]

    @extend_schema(
        operation_id="listBlocks",
        summary="The people you block, newest first",
        parameters=[PAGE],
        responses=BlockedPageSerializer,
        tags=["users"],
    )
    def get(self, request):
        return page_response(
            request,
            Block.objects.by(request.user).annotate(post_count=_post_count(OuterRef("blocked"))),
            BlockedSerializer,
            key="users",
            per_page=settings.FLASKY_FOLLOWERS_PER_PAGE,
            path=links.collection("blocks"),
            prepare=_copy_post_count("blocked"),
        )


class MuteList(APIView):
    permission_classes = [IsConfirmedUser]

    @extend_schema(
        operation_id="listMutes",
        summary="The people you mute now, newest first (expired mutes are left out)",
        parameters=[PAGE],
        responses=MutedPageSerializer,
        tags=["users"],
    )
    def get(self, request):
        return page_response(
            request,
            Mute.objects.by(request.user).annotate(post_count=_post_count(OuterRef("muted"))),
            MutedSerializer,
            key="users",
            per_page=settings.FLASKY_FOLLOWERS_PER_PAGE,
            path=links.collection("mutes"),
            prepare=_copy_post_count("muted"),
        )
