"""Reports: filing one (any confirmed member), and the open ones (moderators)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.roles import MODERATE
from api import links
from api.pagination import page_response
from api.permissions import INSUFFICIENT_PERMISSIONS
from api.schema import PAGE
from api.serializers import ErrorSerializer, ReportInputSerializer, ReportPageSerializer, ReportSerializer
from api.views.base import APIView, Refused, not_found
from blog.models import Comment, Post
from moderation import services
from moderation.models import Kind, Report

MODELS = {Kind.POST: Post, Kind.COMMENT: Comment, Kind.USER: get_user_model()}


class ReportList(APIView):
    @extend_schema(
        operation_id="listReports",
        summary="The open reports, newest first: moderators",
        parameters=[PAGE],
        responses=ReportPageSerializer,
        tags=["reports"],
    )
    def get(self, request):
        if not request.user.has_perm(MODERATE):
            raise PermissionDenied(INSUFFICIENT_PERMISSIONS)
        return page_response(
            request,
            Report.objects.open().newest_first(),
            ReportSerializer,
            key="reports",
            per_page=settings.FLASKY_COMMENTS_PER_PAGE,
            path=links.collection("reports"),
        )

    @extend_schema(
        operation_id="createReport",
        summary="Report a post, a comment or a user to the moderators",
        description=(
            "One open report per reporter and thing reported: a second one is a 400, and so is reporting "
            "yourself or your own posts and comments. A post or comment reported by several people is held "
            "for review (FLASKY_REPORTS_TO_HOLD)."
        ),
        request=ReportInputSerializer,
        responses={
            201: ReportSerializer,
            404: OpenApiResponse(ErrorSerializer, description="No such post, comment or user."),
        },
        tags=["reports"],
    )
    def post(self, request):
        serializer = ReportInputSerializer(data=self.payload(request))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        target = services.target_for_kind(data["kind"], data["pk"], viewer=request.user)
        if target is None:
            raise not_found(MODELS[data["kind"]], data["pk"])
        try:
            filed = services.report(
                reporter=request.user, target=target, reason=data["reason"], message=data.get("message", "")
            )
        except services.Refused as refusal:
            raise Refused(refusal) from refusal
        return Response(ReportSerializer(filed).data, status=status.HTTP_201_CREATED)
