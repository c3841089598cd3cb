"""A Spanish-speaking visitor: every page, message, email and date of the journey in Spanish."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.helpers import LINK
from blog.tests.factories import PostFactory
from tests.e2e.helpers import watch_for_errors

pytestmark = pytest.mark.django_db(transaction=True)

# Words of the site's English interface that must not appear anywhere in a Spanish page.
ENGLISH = re.compile(
    r"\b(Home|Log In|Log Out|Register|Profile|Search|Followers|Following|Submit|Preview|Comments?|"
    r"Permalink|Edit|Delete|Language|Hello|Stranger|minutes? ago|hours? ago|days? ago|Not Found|Password)\b"
)


@pytest.fixture
def spanish_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="es-ES",
        timezone_id="Europe/Madrid",
        extra_http_headers={"Accept-Language": "es-ES,es;q=0.9"},
    )
    page = context.new_page()
    problems = watch_for_errors(page)
    yield page
    context.close()
    assert not problems, problems


def assert_spanish(page):
    text = page.locator("body").inner_text()
    assert not ENGLISH.findall(text), ENGLISH.findall(text)


def test_a_spanish_visitor_registers_writes_and_reads_in_spanish(spanish_page, mailoutbox):
    page = spanish_page
    PostFactory(author=UserFactory(username="ana"), title="", body="Un artículo para leer y comentar.")
    page.goto("/")
    expect(page.locator("h1")).to_have_text("¡Hola, desconocido!")
    expect(page.locator("time").first).to_have_text(re.compile(r"^(ahora|hace .+)$"))
    assert_spanish(page)

    page.get_by_role("link", name="Registrarse").click()
    page.get_by_label("Correo electrónico").fill("lucia@example.com")
    page.get_by_label("Nombre de usuario").fill("lucia")
    page.locator("[name=password1]").fill(PASSWORD)
    page.get_by_label("Confirmar contraseña").fill(PASSWORD)
    page.locator("[name=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revisa tu bandeja de entrada")
    assert_spanish(page)

    (message,) = mailoutbox
    assert message.subject == "[Flasky] Confirma tu cuenta"
    assert "¡Te damos la bienvenida a Flasky!" in message.body and "El equipo de Flasky" in message.body
    assert not ENGLISH.findall(message.body)
    page.goto(next(url for url in LINK.findall(message.body) if "/confirm-email/" in url))
    page.get_by_role("button", name="Confirmar").click()
    expect(page.get_by_role("alert")).to_contain_text("Has confirmado lucia@example.com. ¡Gracias!")
    page.goto("/auth/login/")  # registering does not log in (accounts.forms.SignupForm)
    page.locator("[name=login]").fill("lucia@example.com")
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("[name=submit]").click()
    expect(page.locator("h1")).to_have_text("¡Hola, lucia!")

    page.get_by_label("¿Qué estás pensando?").fill("Mi primer artículo en **Flasky**.")
    page.get_by_role("button", name="Enviar").click()
    expect(page.get_by_role("alert")).to_contain_text("Tu artículo se ha publicado.")
    expect(page.locator("li.post").first.locator("time")).to_have_text(re.compile(r"^(ahora|hace .+)$"))
    assert_spanish(page)

    page.goto("/user/lucia/")
    expect(page.get_by_text("Miembro desde el")).to_be_visible()
    assert_spanish(page)
    page.goto("/esta/pagina/no/existe/")
    expect(page.locator("h1")).to_have_text("No encontrado")
    assert_spanish(page)


def test_a_visitor_switches_the_language_in_the_footer(page, live_server):
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Hello, Stranger!")
    page.get_by_label("Language").select_option("es")
    expect(page.locator("h1")).to_have_text("¡Hola, desconocido!")
    assert_spanish(page)


def test_a_members_language_preference_follows_them(page, live_server):
    user = UserFactory(username="pablo", language="es")
    page.goto("/auth/login/")
    page.locator("[name=login]").fill(user.email)
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("[name=submit]").click()
    expect(page.locator("h1")).to_have_text("¡Hola, pablo!")
