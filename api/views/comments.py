"""Comments: all of them, one, a post's, writing one (or a reply), editing and deleting one, and moderating
(disabling and enabling) one."""

from functools import partial

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from api import links
from api.pagination import page_response
from api.parsers import JSONParser, NoPicturesParser
from api.permissions import INSUFFICIENT_PERMISSIONS, CanComment, IsConfirmedUser
from api.schema import LOCATION, PAGE, UNKNOWN_KEYS
from api.serializers import (
    CommentEditSerializer,
    CommentInputSerializer,
    CommentPageSerializer,
    CommentSerializer,
    ErrorSerializer,
)
from api.views.base import APIView, Refused, get_or_404
from blog import services
from blog.models import Comment, Post
from flasky_project.pagination import cached_count, count_key


def _comments(request):
    """The comments the caller may see, with what their JSON needs: the author's id is on the row, and the
    post (for ``can_moderate``) comes in the same query, without its possibly long text."""
    comments = Comment.objects.visible_to(request.user)
    return comments.select_related("post").defer("post__body", "post__body_html")


def _comment_response(request, comment, status_code=status.HTTP_200_OK):
    return Response(CommentSerializer(comment, context={"request": request}).data, status=status_code)


class CommentList(APIView):
    read_ahead = (count_key("comments"),)  # (read with a token's account: api.authentication)

    @extend_schema(
        operation_id="listComments",
        summary="All comments, newest first",
        parameters=[PAGE],
        responses=CommentPageSerializer,
        tags=["comments"],
    )
    def get(self, request):
        return page_response(
            request,
            _comments(request).published().newest_first(),
            CommentSerializer,
            key="comments",
            per_page=settings.FLASKY_COMMENTS_PER_PAGE,
            path=links.collection("comments"),
            count=cached_count(
                "comments", Comment.objects.published(), found=getattr(request, "read_ahead", None)
            ),
        )


class CommentDetail(APIView):
    parser_classes = [JSONParser, NoPicturesParser]

    @extend_schema(
        operation_id="getComment", summary="A comment", responses=CommentSerializer, tags=["comments"]
    )
    def get(self, request, pk):
        return _comment_response(request, get_or_404(_comments(request).published(), pk))

    @extend_schema(
        operation_id="editComment",
        summary="Edit your comment (its author only); it is marked edited",
        description=UNKNOWN_KEYS,
        request={"application/json": CommentEditSerializer},  # (multipart is only refused)
        responses={200: CommentSerializer, 403: OpenApiResponse(ErrorSerializer, description="Not yours.")},
        tags=["comments"],
    )
    def put(self, request, pk):
        comment = get_or_404(_comments(request).published().filter(deleted=False), pk)
        if not comment.can_edit(request.user):
            raise PermissionDenied(INSUFFICIENT_PERMISSIONS)
        serializer = CommentEditSerializer(data=self.payload(request))
        serializer.is_valid(raise_exception=True)
        services.edit_comment(comment, by=request.user, body=serializer.validated_data["body"])
        return _comment_response(request, comment)

    @extend_schema(
        operation_id="deleteComment",
        summary="Delete a comment: its author, the post's author, and moderators",
        description="A comment with replies stays as a deleted placeholder (no text) for its thread. "
        "A guest's comment that waits for approval is deleted by the speaker and moderators.",
        responses={204: None, 403: OpenApiResponse(ErrorSerializer, description="Not allowed.")},
        tags=["comments"],
    )
    def delete(self, request, pk):
        comment = get_or_404(_comments(request).filter(deleted=False), pk)
        action = services.delete_comment if comment.approved else services.delete_pending_comment
        _moderate(action, comment, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    post=extend_schema(
        operation_id="approveComment",
        summary="Publish a guest's comment that waits for approval: the speaker, and moderators",
        request=None,
        responses={
            200: CommentSerializer,
            400: OpenApiResponse(ErrorSerializer, description="The comment is already published."),
        },
        tags=["comments"],
    )
)
class ApproveComment(APIView):
    def post(self, request, pk):
        comment = _pending_or_published(request, pk)
        _moderate(services.approve_comment, comment, request.user)
        return _comment_response(request, comment)


def _pending_or_published(request, pk):
    """A comment to moderate: a pending one exists only for those who may moderate it (404 for others)."""
    return get_or_404(_comments(request), pk)


def _moderate(action, comment, user):
    try:
        action(comment, by=user)
    except services.ModerationRefused as refusal:
        if refusal.status == 403:
            raise PermissionDenied(INSUFFICIENT_PERMISSIONS) from refusal
        raise ValidationError(refusal.message) from refusal


class PostComments(APIView):
    permission_classes = [IsConfirmedUser, CanComment]
    parser_classes = [JSONParser, NoPicturesParser]

    @extend_schema(
        operation_id="listPostComments",
        summary="A post's comments, oldest first",
        parameters=[PAGE],
        responses=CommentPageSerializer,
        tags=["comments"],
    )
    def get(self, request, pk):
        post = get_or_404(Post.objects.visible_to(request.user).only("pk", "author_id"), pk)
        return page_response(
            request,
            _comments(request).published().on(post).oldest_first(),
            CommentSerializer,
            key="comments",
            per_page=settings.FLASKY_COMMENTS_PER_PAGE,
            path=links.collection("post_comments", post.pk),
        )

    @extend_schema(
        operation_id="createComment",
        summary="Comment on a post (needs the comment permission)",
        description=UNKNOWN_KEYS,
        request={"application/json": CommentInputSerializer},  # (multipart is only refused)
        responses={201: OpenApiResponse(CommentSerializer, description="The new comment.")},
        parameters=[LOCATION],
        tags=["comments"],
    )
    def post(self, request, pk):
        post = get_or_404(Post.objects.visible_to(request.user).select_related("author"), pk)
        serializer = CommentInputSerializer(data=self.payload(request))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "in_reply_to" in data:
            comments = _comments(request).published().select_related("author")
            data["in_reply_to"] = get_or_404(comments, data["in_reply_to"])
        try:
            comment = services.publish_comment(post=post, author=request.user, **data)
        except services.CommentRefused as error:
            raise PermissionDenied(services.COMMENT_REFUSED) from error
        except services.PostingRefused as refusal:
            raise Refused(refusal) from refusal
        except services.CommentActionRefused as refusal:
            raise ValidationError(refusal.message) from refusal
        response = _comment_response(request, comment, status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(links.resource("comment", comment.pk))
        return response


class CommentModeration(APIView):
    """POST .../disable or .../enable: moderators, and the author of the post the comment is on."""

    disabled = None

    def post(self, request, pk):
        comment = get_or_404(_comments(request).published(), pk)
        _moderate(partial(services.set_disabled, disabled=self.disabled), comment, request.user)
        return _comment_response(request, comment)


@extend_schema_view(
    post=extend_schema(
        operation_id="disableComment",
        summary="Disable (hide) a comment: moderators, and the author of the post",
        request=None,
        responses=CommentSerializer,
        tags=["comments"],
    )
)
class DisableComment(CommentModeration):
    disabled = True


@extend_schema_view(
    post=extend_schema(
        operation_id="enableComment",
        summary="Enable a disabled comment again: moderators, and the author of the post",
        request=None,
        responses=CommentSerializer,
        tags=["comments"],
    )
)
class EnableComment(CommentModeration):
    disabled = False
