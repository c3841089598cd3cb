"""Users: a user, their posts, their Followed timeline, who follows them and whom they follow, following."""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from accounts.models import User
from api import links
from api.pagination import page_response
from api.permissions import CanFollow, IsConfirmedUser
from api.post_cache import post_page_response
from api.schema import PAGE
from api.serializers import (
    ErrorSerializer,
    FollowerPageSerializer,
    FollowerSerializer,
    FollowingPageSerializer,
    FollowingSerializer,
    PostPageSerializer,
    RelationshipSerializer,
    UserSerializer,
)
from api.views.base import APIView, get_or_404
from blog.models import Post
from blog.search import people_matching
from social import services
from social.models import Follow


def _post_count(user_ref):
    """How many posts the referenced user wrote: a subquery on the (author, -created) index."""
    posts = Post.objects.filter(author=user_ref).order_by().values("author").annotate(n=Count("pk"))
    return Coalesce(Subquery(posts.values("n")), 0)


def _get_user(pk):
    return get_or_404(User.objects.annotate(post_count=_post_count(OuterRef("pk"))), pk)


def _get_target(pk):
    return get_or_404(User.objects.all(), pk)


class UserSearchPageSerializer(serializers.Serializer):
    users = UserSerializer(many=True, read_only=True)
    prev = serializers.CharField(read_only=True, allow_null=True, help_text="The previous page.")
    next = serializers.CharField(read_only=True, allow_null=True, help_text="The next page.")
    count = serializers.IntegerField(read_only=True, help_text="Items in the whole list.")


PEOPLE_QUERY = OpenApiParameter(
    "q",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    description="The start of a username or of a word of a real name, any case. Without it, no one.",
)


class UserList(APIView):
    @extend_schema(
        operation_id="searchUsers",
        summary="People whose username or name starts with q, by username",
        parameters=[PEOPLE_QUERY, PAGE],
        responses=UserSearchPageSerializer,
        tags=["users"],
    )
    def get(self, request):
        query = request.query_params.get("q", "")
        return page_response(
            request,
            people_matching(query).annotate(post_count=_post_count(OuterRef("pk"))),
            UserSerializer,
            key="users",
            per_page=settings.FLASKY_POSTS_PER_PAGE,
            path=f"{links.collection('users')}?{urlencode({'q': query})}",
        )


class UserDetail(APIView):
    @extend_schema(operation_id="getUser", summary="A user", responses=UserSerializer, tags=["users"])
    def get(self, request, pk):
        return Response(UserSerializer(_get_user(pk), context={"request": request}).data)


class UserPosts(APIView):
    @extend_schema(
        operation_id="listUserPosts",
        summary="A user's posts, newest first",
        parameters=[PAGE],
        responses=PostPageSerializer,
        tags=["users"],
    )
    def get(self, request, pk):
        user = _get_target(pk)
        return _posts_page(request, Post.objects.by(user), links.collection("user_posts", user.pk))


class UserTimeline(APIView):
    @extend_schema(
        operation_id="listUserTimeline",
        summary="A user's Followed timeline: posts of the people they follow, and their own",
        parameters=[PAGE],
        responses=PostPageSerializer,
        tags=["users"],
    )
    def get(self, request, pk):
        user = _get_target(pk)
        path = links.collection("user_timeline", user.pk)
        return _posts_page(request, Post.objects.followed_by(user), path)


def _posts_page(request, posts, path):
    return post_page_response(request, posts, path=path)


def _copy_post_count(person):
    """Move the rows' ``post_count`` annotation onto the user each row lists (``person``)."""

    def prepare(rows):
        for row in rows:
            getattr(row, person).post_count = row.post_count
        return rows

    return prepare


class UserFollowers(APIView):
    @extend_schema(
        operation_id="listFollowers",
        summary="Who follows a user, newest first",
        parameters=[PAGE],
        responses=FollowerPageSerializer,
        tags=["users"],
    )
    def get(self, request, pk):
        user = _get_target(pk)
        return page_response(
            request,
            Follow.objects.followers_of(user).annotate(post_count=_post_count(OuterRef("follower"))),
            FollowerSerializer,
            key="followers",
            per_page=settings.FLASKY_FOLLOWERS_PER_PAGE,
            path=links.collection("user_followers", user.pk),
            prepare=_copy_post_count("follower"),
        )


class UserFollowing(APIView):
    @extend_schema(
        operation_id="listFollowing",
        summary="Whom a user follows, newest first",
        parameters=[PAGE],
        responses=FollowingPageSerializer,
        tags=["users"],
    )
    def get(self, request, pk):
        user = _get_target(pk)
        return page_response(
            request,
            Follow.objects.followed_by(user).annotate(post_count=_post_count(OuterRef("followed"))),
            FollowingSerializer,
            key="following",
            per_page=settings.FLASKY_FOLLOWERS_PER_PAGE,
            path=links.collection("user_following", user.pk),
            prepare=_copy_post_count("followed"),
        )


def _relationship(request, user):
    stats = Follow.objects.stats(user, request.user)
    data = {
        "user_url": links.resource("user", user.pk),
        "following": bool(stats["viewer_follows"]),
        "follows_you": bool(stats["follows_viewer"]),
        "followers_count": stats["followers"],
        "following_count": stats["following"],
    }
    return Response(RelationshipSerializer(data).data)


_SELF = OpenApiResponse(ErrorSerializer, description="You can't follow (or unfollow) yourself.")
_REFUSED = OpenApiResponse(
    ErrorSerializer, description="No follow permission, or a block between you and the user forbids it."
)


class UserFollow(APIView):
    """You and a user: GET tells whether you follow them, POST follows, DELETE unfollows (both idempotent)."""

    permission_classes = [IsConfirmedUser, CanFollow]

    @extend_schema(
        operation_id="getRelationship",
        summary="Whether you follow a user, and their follower counts",
        responses=RelationshipSerializer,
        tags=["users"],
    )
    def get(self, request, pk):
        return _relationship(request, _get_target(pk))

    @extend_schema(
        operation_id="followUser",
        summary="Follow a user (needs the follow permission)",
        request=None,
        responses={200: RelationshipSerializer, 400: _SELF, 403: _REFUSED},
        tags=["users"],
    )
    def post(self, request, pk):
        return self._change(request, pk, services.follow)

    @extend_schema(
        operation_id="unfollowUser",
        summary="Stop following a user",
        responses={200: RelationshipSerializer, 400: _SELF},
        tags=["users"],
    )
    def delete(self, request, pk):
        return self._change(request, pk, services.unfollow)

    def _change(self, request, pk, change):
        user = _get_target(pk)
        try:
            change(follower=request.user, followed=user)
        except services.CannotFollowSelf as error:
            raise ValidationError(error.messages[0]) from error
        except services.FollowRefused as error:
            raise PermissionDenied(error.message) from error
        return _relationship(request, user)
