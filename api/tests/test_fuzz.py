"""Schema-driven fuzzing with Schemathesis: every operation of the project's own schema gets generated
requests, valid ones and invalid ones, sent in-process to the WSGI application; none may answer 5xx, and
every answer must be one the schema documents, in the documented shape.

Bounded (a few dozen examples per operation, derandomized so CI runs are repeatable) to keep the suite
fast; FUZZ_EXAMPLES raises the count for a deeper run: FUZZ_EXAMPLES=500 pytest api/tests/test_fuzz.py
"""

import copy
import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.tests.factories import PASSWORD, UserFactory
from api.tests.contract import openapi
from api.tests.helpers import basic
from blog.tests.factories import CommentFactory, PostFactory
from flasky_project.wsgi import application
from social.tests.factories import FollowFactory
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
OPERATIONS = [
    (path, method.upper()) for path, operations in openapi()["paths"].items() for method in operations
]
POSITIVE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
NEGATIVE_CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]


@pytest.fixture
def in_process(settings):
    """Requests through the WSGI handler in the test's own transaction: Django would close the
    connection at each request's start and end (the test client disconnects this too)."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "user": "100000/minute",
            "anon": "100000/minute",
            "login": "100000/minute",
            "login_address": "100000/minute",
            "login_account": "100000/minute",
        },
    }
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def schema_with_real_ids(ids):
    """The project's schema, with ids drawn from rows that exist (and two that don't), so that the
    generated requests reach the code past the 404s."""
    raw = copy.deepcopy(openapi())
    for operations in raw["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] == "id":
                    parameter["schema"] = {"type": "integer", "enum": sorted({*ids, 0, 10**18 - 1})}
    return schemathesis.openapi.from_dict(raw)


def fuzz(operation, mode, checks, headers):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call(app=application, headers=headers)
        case.validate_response(response, checks=checks)

    run()


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_generated_requests_never_get_a_server_error(in_process, path, method):
    # A moderator reaches the most code: writing, editing others' comments' state, following.
    user = UserFactory(role="moderator")
    other = UserFactory()
    post = PostFactory(author=user)
    comment = CommentFactory(post=PostFactory(author=other), author=other)
    FollowFactory(follower=user, followed=other)
    talk = TalkFactory(post__author=user)
    operation = schema_with_real_ids([user.pk, other.pk, post.pk, comment.pk, talk.pk])[path][method]
    headers = {"Authorization": basic(user.email, PASSWORD)}
    fuzz(operation, schemathesis.GenerationMode.POSITIVE, POSITIVE_CHECKS, headers)
    fuzz(operation, schemathesis.GenerationMode.NEGATIVE, NEGATIVE_CHECKS, headers)
