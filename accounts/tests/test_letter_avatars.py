"""Letter avatars: the default picture without an upload, drawn by the site (works offline), Gravatar only
when the operator turns it on; in pages as SVG, in emails as PNG, with lasting caches and good contrast."""

import io
import xml.etree.ElementTree as etree

import pytest
from PIL import Image

from accounts import letter_avatars
from accounts.tests.factories import UserFactory
from flasky_project.contrast import contrast_ratio
from flasky_project.templatetags.flasky import avatar, avatar_src

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("username", "letters"),
    [("reader", "R"), ("john_smith", "JS"), ("ana.maria.lopez", "AM"), ("x9", "X"), ("a_1", "A1"), ("", "U")],
    ids=["one-part", "underscore", "dots-first-two", "digits-in-part", "digit-part", "empty"],
)
def test_initials_are_the_first_letters_of_the_first_two_parts(username, letters):
    assert letter_avatars.initials(username) == letters


def test_avatar_without_upload_is_the_letter_avatar_not_gravatar():
    user = UserFactory(username="john_smith", email="john@example.com")
    url = user.avatar_url(40)
    assert url == f"/avatar/JS/{letter_avatars.colour_index(user.pk)}.svg"
    assert "gravatar" not in url


def test_letter_avatar_depends_on_id_and_username_never_the_email():
    user = UserFactory(username="reader")
    before = user.avatar_url(40)
    user.email = "someone.else@example.com"
    assert user.avatar_url(40) == before
    user.username = "new_name"
    assert user.avatar_url(40) != before and "/avatar/NN/" in user.avatar_url(40)


def test_colour_is_stable_and_spread_over_the_palette():
    colours = {letter_avatars.colour_index(pk) for pk in range(1, 200)}
    assert letter_avatars.colour_index(42) == letter_avatars.colour_index(42)
    assert colours == set(range(len(letter_avatars.PALETTE)))


@pytest.mark.parametrize("background", letter_avatars.PALETTE)
def test_every_background_has_aa_contrast_with_the_letters(background):
    assert contrast_ratio(background, letter_avatars.TEXT_COLOUR) >= 4.5


def test_svg_view_draws_the_letters_with_a_year_of_immutable_caching(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/avatar/JS/3.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "immutable" in response["Cache-Control"] and "max-age=31536000" in response["Cache-Control"]
    svg = etree.fromstring(response.content)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert svg.find("svg:text", ns).text == "JS"
    assert svg.find("svg:rect", ns).get("fill") == letter_avatars.PALETTE[3]


def test_png_view_is_a_square_picture_in_the_colour(client):
    response = client.get("/avatar/R/0.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content)).convert("RGB")
    assert image.size == (letter_avatars.PNG_SIZE, letter_avatars.PNG_SIZE)
    assert "#{:02x}{:02x}{:02x}".format(*image.getpixel((2, 2))) == letter_avatars.PALETTE[0]
    centre = [image.getpixel((x, 64)) for x in range(40, 90)]
    assert (255, 255, 255) in centre  # the letter is drawn


@pytest.mark.parametrize(
    "path",
    ["/avatar/JS/99.svg", "/avatar/js/1.svg", "/avatar/ABC/1.svg", "/avatar/J/1.gif", "/avatar/%3C/1.svg"],
    ids=["colour-out-of-range", "lower-case", "three-letters", "other-format", "markup"],
)
def test_bad_letter_avatar_addresses_are_404(client, path):
    assert client.get(path).status_code == 404


def test_letter_avatar_rejects_post(client):
    assert client.post("/avatar/JS/1.svg").status_code == 405


def test_avatar_tag_shows_the_letter_avatar_with_alt_text():
    user = UserFactory(username="reader")
    html = avatar(user, 32)
    assert f'src="{user.letter_avatar_url()}"' in html and 'alt="Avatar of reader"' in html


def test_emails_get_an_absolute_png(settings):
    user = UserFactory(username="reader")
    settings.SITE_URL = "https://flasky.example"
    assert avatar_src(user, 64) == f"https://flasky.example{user.letter_avatar_url('png')}"


def test_gravatar_when_the_operator_turns_it_on(settings):
    settings.FLASKY_GRAVATAR = True
    user = UserFactory(email="john@example.com")
    assert user.avatar_url(40).startswith(
        "https://secure.gravatar.com/avatar/d4c74594d841139328695756648b6bd6"
    )
    assert avatar_src(user, 64).startswith("https://secure.gravatar.com/")


def test_upload_wins_over_the_letter_avatar():
    user = UserFactory(avatar="avatars/1-abc.webp")
    assert "/avatars/1-abc.webp" in user.avatar_url(40)


def test_pages_show_letter_avatars_and_csp_leaves_gravatar_out(client):
    UserFactory(username="john_smith")
    response = client.get("/user/john_smith/")
    assert "/avatar/JS/" in response.content.decode()
    assert "gravatar" not in response.content.decode()
    assert "gravatar" not in response.headers.get("Content-Security-Policy", "")
