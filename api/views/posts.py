"""Posts: the list of all posts, writing one, reading, editing and deleting it; liking and bookmarking one,
and the caller's bookmarks."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from api import links, shared_pages
from api.parsers import JSONParser, MultiPartParser
from api.permissions import INSUFFICIENT_PERMISSIONS, CanFollow, CanWrite, IsConfirmedUser
from api.post_cache import post_page_response, post_response
from api.schema import LOCATION, PAGE, UNKNOWN_KEYS
from api.serializers import (
    PostInputSerializer,
    PostPageSerializer,
    PostSerializer,
    checked_talk_title,
    talk_of,
)
from api.views.base import APIView, Refused, get_or_404
from blog import services
from blog.models import Post


def _post_response(request, post, status_code=status.HTTP_200_OK):
    return Response(PostSerializer(post, context={"request": request}).data, status=status_code)


PICTURES = (
    "Send JSON, or multipart/form-data to attach pictures: the text fields as form fields, one `pictures` "
    "part per file and one `alt` field per picture, in the same order (see docs/api.md). "
)


class PostList(APIView):
    permission_classes = [IsConfirmedUser, CanWrite]
    parser_classes = [JSONParser, MultiPartParser]
    # (read with a token's account: api.authentication)
    read_ahead = staticmethod(shared_pages.read_ahead)

    @extend_schema(
        operation_id="listPosts",
        summary="All posts, newest first",
        parameters=[PAGE],
        responses=PostPageSerializer,
        tags=["posts"],
    )
    def get(self, request):
        return shared_pages.post_list_response(request, path=links.collection("posts"))

    @extend_schema(
        operation_id="createPost",
        summary="Publish a post, with up to 4 pictures (needs the write permission)",
        description=PICTURES + UNKNOWN_KEYS,
        request=PostInputSerializer,
        responses={201: OpenApiResponse(PostSerializer, description="The new post.")},
        parameters=[LOCATION],
        tags=["posts"],
    )
    def post(self, request):
        serializer = PostInputSerializer(data=self.payload(request))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        data.pop("remove_pictures")  # a new post has none: any position named was already a 400
        try:
            post = services.publish_post(author=request.user, **data)
        except services.PostingRefused as refusal:
            raise Refused(refusal) from refusal
        post.comment_count = post.like_count = 0  # what for_list() would annotate: a new post has none
        response = _post_response(request, post, status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(links.resource("post", post.pk))
        return response


class PostDetail(APIView):
    permission_classes = [IsConfirmedUser, CanWrite]
    parser_classes = [JSONParser, MultiPartParser]

    def get_post(self, request, pk):
        post = get_or_404(Post.objects.visible_to(request.user).for_list(), pk)
        if request.method not in SAFE_METHODS and not post.can_edit(request.user):
            raise PermissionDenied(INSUFFICIENT_PERMISSIONS)
        return post

    @extend_schema(operation_id="getPost", summary="A post", responses=PostSerializer, tags=["posts"])
    def get(self, request, pk):
        return post_response(request, pk)  # (from the cache, as the lists' posts)

    @extend_schema(
        operation_id="editPost",
        summary="Edit a post (its author or an administrator)",
        description="Keys left out keep their value, as in Flasky. "
        + PICTURES
        + "New pictures come after those the post keeps; `remove_pictures` lists the positions (from 0) "
        "of pictures to remove. " + UNKNOWN_KEYS,
        request=PostInputSerializer(partial=True),
        responses=PostSerializer,
        tags=["posts"],
    )
    def put(self, request, pk):
        post = self.get_post(request, pk)
        talk = talk_of(post) is not None
        context = {"existing": list(post.pictures.all()), "talk": talk}
        serializer = PostInputSerializer(data=self.payload(request), partial=True, context=context)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "title" in data and talk:
            data["title"] = checked_talk_title(data["title"])
        services.edit_post(
            post,
            body=data.get("body", post.body),
            title=data.get("title"),
            pictures=data["pictures"],
            remove_pictures=data["remove_pictures"],
        )
        if data["pictures"] or data["remove_pictures"]:
            post = get_or_404(Post.objects.for_list(), pk)  # its pictures as they are now
        return _post_response(request, post)

    @extend_schema(
        operation_id="deletePost",
        summary="Delete a post and its comments (its author or an administrator)",
        responses={204: None},
        tags=["posts"],
    )
    def delete(self, request, pk):
        services.delete_post(self.get_post(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PostLike(APIView):
    """POST likes the post, DELETE takes the like back: both idempotent, both answer the post's JSON."""

    permission_classes = [IsConfirmedUser, CanFollow]

    @extend_schema(
        operation_id="likePost",
        summary="Like a post (needs the follow permission); liking twice is harmless",
        request=None,
        responses=PostSerializer,
        tags=["posts"],
    )
    def post(self, request, pk):
        return self._change(request, pk, services.like)

    @extend_schema(
        operation_id="unlikePost",
        summary="Take back your like of a post",
        responses={200: PostSerializer},
        tags=["posts"],
    )
    def delete(self, request, pk):
        return self._change(request, pk, services.unlike)

    def _change(self, request, pk, change):
        post = get_or_404(Post.objects.visible_to(request.user), pk)
        change(user=request.user, post=post)
        return _post_response(request, get_or_404(Post.objects.for_list(), pk))


class PostBookmark(APIView):
    """POST bookmarks the post, DELETE removes the bookmark: both idempotent; bookmarks are private."""

    permission_classes = [IsConfirmedUser]

    @extend_schema(
        operation_id="bookmarkPost",
        summary="Bookmark a post (private to you); twice is harmless",
        request=None,
        responses=PostSerializer,
        tags=["posts"],
    )
    def post(self, request, pk):
        return self._change(request, pk, services.bookmark)

    @extend_schema(
        operation_id="unbookmarkPost",
        summary="Remove a bookmark",
        responses={200: PostSerializer},
        tags=["posts"],
    )
    def delete(self, request, pk):
        return self._change(request, pk, services.unbookmark)

    def _change(self, request, pk, change):
        post = get_or_404(Post.objects.visible_to(request.user), pk)
        change(user=request.user, post=post)
        return _post_response(request, get_or_404(Post.objects.for_list(), pk))


class BookmarkList(APIView):
    permission_classes = [IsConfirmedUser]

    @extend_schema(
        operation_id="listBookmarks",
        summary="Your bookmarked posts, newest bookmarked first",
        parameters=[PAGE],
        responses=PostPageSerializer,
        tags=["posts"],
    )
    def get(self, request):
        posts = Post.objects.bookmarked_by(request.user).order_by(*Post.BOOKMARK_ORDER)
        return post_page_response(request, posts, path=links.collection("bookmarks"))
