"""Talks: the upcoming (or past) talks, publishing one, reading and editing one. A talk is a post with
details: its JSON is the post's, whose ``talk`` holds them."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from api import links
from api.pagination import page_response
from api.permissions import INSUFFICIENT_PERMISSIONS, CanWrite, IsConfirmedUser
from api.schema import LOCATION, PAGE, UNKNOWN_KEYS
from api.serializers import PostSerializer, TalkInputSerializer, TalkPageSerializer
from api.views.base import APIView, Refused, get_or_404
from blog.services import PostingRefused
from talks import services
from talks.models import Talk

PAST = OpenApiParameter(
    "past",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    enum=[0, 1],
    description="1 for the talks already given, most recent first (else upcoming talks, soonest first).",
)


def _posts_of(talks):
    """The talks' posts, ready for PostSerializer: each knows its talk and its comment count (no query)."""
    posts = []
    for talk in talks:
        post = talk.post
        post.comment_count, post.like_count = talk.comment_count, talk.like_count
        post.talk = talk
        posts.append(post)
    return posts


def _talk_response(request, talk, status_code=status.HTTP_200_OK):
    (post,) = _posts_of([talk])
    return Response(PostSerializer(post, context={"request": request}).data, status=status_code)


class TalkList(APIView):
    permission_classes = [IsConfirmedUser, CanWrite]

    @extend_schema(
        operation_id="listTalks",
        summary="Upcoming talks, soonest first; or past talks, most recent first",
        parameters=[PAST, PAGE],
        responses=TalkPageSerializer,
        tags=["talks"],
    )
    def get(self, request):
        past = request.query_params.get("past") == "1"
        talks = Talk.objects.past() if past else Talk.objects.upcoming()
        path = links.collection("talks")
        return page_response(
            request,
            talks.visible_to(request.user).for_list(),
            PostSerializer,
            key="talks",
            per_page=settings.FLASKY_TALKS_PER_PAGE,
            path=f"{path}?past=1" if past else path,
            prepare=_posts_of,
        )

    @extend_schema(
        operation_id="createTalk",
        summary="Publish a talk (needs the write permission)",
        description=UNKNOWN_KEYS,
        request=TalkInputSerializer,
        responses={201: OpenApiResponse(PostSerializer, description="The new talk's post.")},
        parameters=[LOCATION],
        tags=["talks"],
    )
    def post(self, request):
        serializer = TalkInputSerializer(data=self.payload(request))
        serializer.is_valid(raise_exception=True)
        try:
            talk = services.publish_talk(author=request.user, **serializer.validated_data)
        except PostingRefused as refusal:
            raise Refused(refusal) from refusal
        talk.comment_count = talk.like_count = 0  # what for_list() would annotate for a new talk
        response = _talk_response(request, talk, status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(links.resource("talk", talk.pk))
        return response


class TalkDetail(APIView):
    permission_classes = [IsConfirmedUser, CanWrite]

    def get_talk(self, request, pk):
        talk = get_or_404(Talk.objects.visible_to(request.user).for_list(), pk)
        if request.method not in SAFE_METHODS and not talk.post.can_edit(request.user):
            raise PermissionDenied(INSUFFICIENT_PERMISSIONS)
        return talk

    @extend_schema(operation_id="getTalk", summary="A talk", responses=PostSerializer, tags=["talks"])
    def get(self, request, pk):
        return _talk_response(request, self.get_talk(request, pk))

    @extend_schema(
        operation_id="editTalk",
        summary="Edit a talk (its speaker or an administrator)",
        description="Keys left out keep their value. " + UNKNOWN_KEYS,
        request=TalkInputSerializer(partial=True),
        responses=PostSerializer,
        tags=["talks"],
    )
    def put(self, request, pk):
        talk = self.get_talk(request, pk)
        serializer = TalkInputSerializer(data=self.payload(request), partial=True)
        serializer.is_valid(raise_exception=True)
        details = dict(serializer.validated_data)
        title = details.pop("title", talk.post.title)
        body = details.pop("body", talk.post.body)
        services.edit_talk(talk, title=title, body=body, **details)
        return _talk_response(request, talk)
