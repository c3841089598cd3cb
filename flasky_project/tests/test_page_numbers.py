"""Page numbers: whatever ?page= holds, every list answers the page or a 404, never a 500."""

import pytest

pytestmark = pytest.mark.django_db

HUGE = "9" * 30  # past any OFFSET the database can take


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/search/?q=word&",
        "/talks/",
        "/talks/past/",
        "/user/reader/",
        "/talks/by/reader/",
        "/followers/reader/",
        "/schedule/",
        "/moderate/",
    ],
)
@pytest.mark.parametrize("page", [HUGE, "0", "-1", "abc", "1.5", "1e3", ""])
def test_a_page_number_that_names_no_page_is_a_404(moderator_client, reader, url, page):
    separator = "" if url.endswith("&") else "?"
    assert moderator_client.get(f"{url}{separator}page={page}").status_code == 404
