"""Tags: a tag's posts, newest first."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound

from api import links
from api.post_cache import post_page_response
from api.schema import PAGE
from api.serializers import PostPageSerializer
from api.views.base import APIView
from blog import services
from blog.models import Post, PostTag
from flasky_project.pagination import cached_count

NAME = OpenApiParameter(
    "name",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The tag without its #: letters, digits and underscores of any language, not only digits, "
    "at most 64; any case (#Django is #django). Another name is a 404.",
)


class TagPosts(APIView):
    @extend_schema(
        operation_id="listTagPosts",
        summary="A tag's posts, newest first",
        parameters=[NAME, PAGE],
        responses=PostPageSerializer,
        tags=["posts"],
    )
    def get(self, request, name):
        try:
            tag = services.tag_named(name)
        except services.BadTagName as error:
            raise NotFound("That is not a tag: letters, digits and underscores, not only digits.") from error
        posts = Post.objects.tagged(tag) if tag is not None else Post.objects.none()
        count = cached_count(f"tag:{tag.pk}", PostTag.objects.filter(tag=tag)) if tag is not None else 0
        path = links.collection("tag_posts", services.normalise_tag(name))
        return post_page_response(request, posts, path=path, count=count)
