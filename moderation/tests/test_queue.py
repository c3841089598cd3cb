"""The moderators' queue: who may see it, its filters and tabs, the navbar's count, and its query count."""

import pytest

from accounts.tests.factories import UserFactory
from blog.tests.factories import CommentFactory, PostFactory
from flasky_project import pagecache
from moderation.models import Kind
from moderation.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_the_queue_is_for_moderators(reader_client, client):
    assert reader_client.get("/moderate/reports/").status_code == 403
    assert client.get("/moderate/reports/").status_code == 302


def test_the_queue_lists_open_reports_newest_first(moderator_client):
    older = ReportFactory(post__body="Older spam", message="first")
    newer = ReportFactory(post__body="Newer spam", message="second")
    content = moderator_client.get("/moderate/reports/").content.decode()
    assert content.index(f'id="report-{newer.pk}"') < content.index(f'id="report-{older.pk}"')


def test_the_queue_filters_by_kind_and_state(moderator_client, moderator):
    post_report = ReportFactory(post__body="Quokka post")
    comment_report = ReportFactory(kind=Kind.COMMENT, comment=CommentFactory(body="Wombat comment"))
    user_report = ReportFactory(kind=Kind.USER, user=UserFactory(username="platypus"))
    resolved = ReportFactory(post__body="Dingo post")
    resolved.resolved_at, resolved.resolved_by, resolved.action = resolved.created, moderator, "dismiss"
    resolved.save()

    def listed(query):
        content = moderator_client.get(f"/moderate/reports/{query}").content.decode()
        return {
            report.pk
            for report in (post_report, comment_report, user_report, resolved)
            if f'id="report-{report.pk}"' in content
        }

    assert listed("") == {post_report.pk, comment_report.pk, user_report.pk}
    assert listed("?kind=comment") == {comment_report.pk}
    assert listed("?kind=user") == {user_report.pk}
    assert listed("?state=resolved") == {resolved.pk}
    assert listed("?kind=nonsense") == {post_report.pk, comment_report.pk, user_report.pk}


def test_the_queue_and_the_comment_queue_are_tabs_of_one_page(moderator_client):
    reports = moderator_client.get("/moderate/reports/").content.decode()
    comments = moderator_client.get("/talks/moderate/all/").content.decode()
    for content in (reports, comments):
        assert 'href="/moderate/reports/"' in content and 'href="/talks/moderate/all/"' in content


def test_moderators_see_the_count_of_open_reports_in_the_navbar(moderator_client, reader_client):
    ReportFactory.create_batch(2)
    content = moderator_client.get("/").content.decode()
    assert "data-open-reports>2</span>" in content
    assert "data-open-reports" not in reader_client.get("/").content.decode()


@pytest.mark.parametrize("rows", [1, 30])
def test_the_queue_query_count_is_fixed(moderator_client, rows, django_assert_num_queries):
    for _number in range(rows):
        ReportFactory(post=PostFactory())
        ReportFactory(kind=Kind.COMMENT, comment=CommentFactory())
        ReportFactory(kind=Kind.USER, user=UserFactory())
    moderator_client.get("/moderate/reports/")
    # A new generation of the site's data, so the navbar's count of comments waiting is counted again (it
    # is cached per generation: whether the warm-up's request wrote something watched must not matter).
    pagecache.bump_generation()
    # the moderator, the page's keys, the page's reports with their targets and people, the navbar's counts
    # of comments waiting for approval and of open reports
    with django_assert_num_queries(5):
        response = moderator_client.get("/moderate/reports/")
    assert response.content.count(b"data-report>") == min(3 * rows, 30)
