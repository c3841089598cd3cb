"""Tokens: a password buys a token; a token can't buy another (so one stolen token dies within the hour)."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.response import Response

from api.authentication import INVALID_CREDENTIALS, PASSWORD, BasicAuthentication
from api.permissions import IsConfirmedUser
from api.serializers import TokenSerializer
from api.tokens import make_token
from api.views.base import APIView


class TokenView(APIView):
    # Only Basic auth: a Bearer token or a browser session is no credential here (a 401, as Flasky's).
    authentication_classes = [BasicAuthentication]
    # An account with two-factor login on gets a token with its password and its current code.
    accepts_second_factor = True
    permission_classes = [IsConfirmedUser]

    @extend_schema(
        operation_id="createToken",
        summary="Get a token (with your email and password, not with a token)",
        description="Use the token as the Basic user name with an empty password, or as a Bearer token. "
        "It expires after `expiration` seconds, and as soon as your password changes. An account with "
        "two-factor login on also sends its authenticator code (or a recovery code) in the `X-Flasky-OTP` "
        "header.",
        request=None,
        responses=TokenSerializer,
        tags=["tokens"],
    )
    def post(self, request):
        if request.auth != PASSWORD:
            raise AuthenticationFailed(INVALID_CREDENTIALS)
        data = {"token": make_token(request.user), "expiration": settings.API_TOKEN_MAX_AGE}
        return Response(TokenSerializer(data).data)
