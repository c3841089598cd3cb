"""Comments: all of them, one, a post's, writing one, and moderating (disabling and enabling) one."""

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from api import links
from api.pagination import page_response
from api.permissions import INSUFFICIENT_PERMISSIONS, CanComment, IsConfirmedUser
from api.schema import LOCATION, PAGE, UNKNOWN_KEYS
from api.serializers import CommentInputSerializer, CommentPageSerializer, CommentSerializer
from api.views.base import APIView, get_or_404
from blog import services
from blog.models import Comment, Post
from flasky_project.pagination import cached_count


def _comments():
    """Published comments with what their JSON needs: the author's id is on the row, and the post (for
    ``can_moderate``) comes in the same query, without its possibly long text."""
    return Comment.objects.published().select_related("post").defer("post__body", "post__body_html")


def _comment_response(request, comment, status_code=status.HTTP_200_OK):
    return Response(CommentSerializer(comment, context={"request": request}).data, status=status_code)


class CommentList(APIView):
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
            _comments().newest_first(),
            CommentSerializer,
            key="comments",
            per_page=settings.FLASKY_COMMENTS_PER_PAGE,
            path=links.collection("comments"),
            count=cached_count("comments", Comment.objects.published()),
        )


class CommentDetail(APIView):
    @extend_schema(
        operation_id="getComment", summary="A comment", responses=CommentSerializer, tags=["comments"]
    )
    def get(self, request, pk):
        return _comment_response(request, get_or_404(_comments(), pk))


class PostComments(APIView):
    permission_classes = [IsConfirmedUser, CanComment]

    @extend_schema(
        operation_id="listPostComments",
        summary="A post's comments, oldest first",
        parameters=[PAGE],
        responses=CommentPageSerializer,
        tags=["comments"],
    )
    def get(self, request, pk):
        post = get_or_404(Post.objects.only("pk", "author_id"), pk)
        return page_response(
            request,
            _comments().on(post).oldest_first(),
            CommentSerializer,
            key="comments",
            per_page=settings.FLASKY_COMMENTS_PER_PAGE,
            path=links.collection("post_comments", post.pk),
        )

    @extend_schema(
        operation_id="createComment",
        summary="Comment on a post (needs the comment permission)",
        description=UNKNOWN_KEYS,
        request=CommentInputSerializer,
        responses={201: OpenApiResponse(CommentSerializer, description="The new comment.")},
        parameters=[LOCATION],
        tags=["comments"],
    )
    def post(self, request, pk):
        post = get_or_404(Post.objects.select_related("author"), pk)
        serializer = CommentInputSerializer(data=self.payload(request))
        serializer.is_valid(raise_exception=True)
        comment = services.publish_comment(post=post, author=request.user, **serializer.validated_data)
        response = _comment_response(request, comment, status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(links.resource("comment", comment.pk))
        return response


class CommentModeration(APIView):
    """POST .../disable or .../enable: moderators, and the author of the post the comment is on."""

    disabled = None

    def post(self, request, pk):
        comment = get_or_404(_comments(), pk)
        if not comment.can_moderate(request.user):
            raise PermissionDenied(INSUFFICIENT_PERMISSIONS)
        comment.set_disabled(self.disabled, by=request.user)
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
