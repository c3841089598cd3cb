"""Search: the site's full-text search of posts (and talks), ranked, as an API list."""

from urllib.parse import urlencode

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from api import links
from api.schema import PAGE
from api.serializers import PostSerializer
from api.views.base import APIView
from blog.search import MAX_QUERY_LENGTH, search_page
from flasky_project.pagination import page_number
from talks.listing import attach_talks

QUERY = OpenApiParameter(
    "q",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    description="The words to look for (every word must match, in any form: run finds running). "
    f"Operators and symbols are ignored; only the first {MAX_QUERY_LENGTH} characters count.",
)


class SearchResultSerializer(PostSerializer):
    snippet = serializers.CharField(
        read_only=True, help_text="Where the words were found, with <mark>s (HTML)."
    )


class SearchPageSerializer(serializers.Serializer):
    posts = SearchResultSerializer(many=True, read_only=True)
    prev = serializers.CharField(read_only=True, allow_null=True, help_text="The previous page.")
    next = serializers.CharField(read_only=True, allow_null=True, help_text="The next page.")
    query = serializers.CharField(read_only=True, help_text="The query, as given.")


class Search(APIView):
    @extend_schema(
        operation_id="searchPosts",
        summary="Search posts and talks, best matches first",
        description="Unlike the other lists, search results have no `count`: counting every match of a "
        "common word would cost as much as the table is big.",
        parameters=[QUERY, PAGE],
        responses=SearchPageSerializer,
        tags=["search"],
    )
    def get(self, request):
        query = request.query_params.get("q", "")
        page = search_page(query, page_number(request), settings.FLASKY_POSTS_PER_PAGE)
        attach_talks(page.object_list)  # the talks' details, one query for the page
        path = links.collection("search")

        def link(page_number):
            return f"{path}?{_query_string(query, page_number)}"

        return Response(
            {
                "posts": SearchResultSerializer(
                    page.object_list, many=True, context={"request": request}
                ).data,
                "prev": link(page.previous_page_number()) if page.has_previous() else None,
                "next": link(page.next_page_number()) if page.has_next() else None,
                "query": query,
            }
        )


def _query_string(query, page):
    return urlencode({"q": query, "page": page})
