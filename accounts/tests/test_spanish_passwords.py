"""Django's and allauth's password messages speak Spanish in the tú form, as the rest of the site: our
catalogue (LOCALE_PATHS) is read before theirs, which say usted."""

import pytest
from django.contrib.auth import password_validation
from django.utils import translation

from accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SPANISH = {"Accept-Language": "es"}
USTED = ("Su contraseña", "su contraseña", "Debe escribir", "Introduzca", "Por favor")


def test_a_weak_password_at_signup_is_refused_in_the_tu_form(client):
    data = {"email": "juan@example.com", "username": "juan", "password1": "1234", "password2": "1234"}
    response = client.post("/auth/signup/", data, headers=SPANISH)
    content = response.content.decode()
    assert response.status_code == 400
    assert "La contraseña es demasiado corta. Tiene que tener al menos 8 caracteres." in content
    assert not any(words in content for words in USTED)


def test_two_different_passwords_are_refused_in_the_tu_form(client):
    data = {
        "email": "juan@example.com",
        "username": "juan",
        "password1": PASSWORD,
        "password2": PASSWORD + "x",
    }
    content = client.post("/auth/signup/", data, headers=SPANISH).content.decode()
    assert "Tienes que escribir la misma contraseña las dos veces." in content


def test_a_wrong_current_password_is_refused_in_the_tu_form(reader_client):
    data = {"oldpassword": "wrong", "password1": "a-new-long-password", "password2": "a-new-long-password"}
    content = reader_client.post("/auth/password/change/", data, headers=SPANISH).content.decode()
    assert "Escribe tu contraseña actual." in content
    assert not any(words in content for words in USTED)


def test_the_password_rules_are_in_the_tu_form():
    with translation.override("es"):
        texts = password_validation.password_validators_help_texts()
    assert texts == [
        "Tu contraseña no puede parecerse demasiado a tu otra información personal.",
        "Tu contraseña tiene que tener al menos 8 caracteres.",
        "Tu contraseña no puede ser una contraseña de uso común.",
        "Tu contraseña no puede tener solo números.",
    ]
