"""Starting up: with DEBUG off the site refuses weak configuration with a clear message, and dev.py makes a
checkout a development one."""

import importlib.util
import os
import subprocess
import sys

import pytest
from django.conf import settings

MANAGE = settings.BASE_DIR / "manage.py"
GOOD_KEY = "k" * 60


def run_manage(**environment):
    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    env.update(environment)  # set explicitly, they win over any .env file in the checkout
    return subprocess.run(  # noqa: S603 - this interpreter and the project's manage.py
        [sys.executable, str(MANAGE), "check"], env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (
            {"DEBUG": "0", "SECRET_KEY": "", "ALLOWED_HOSTS": "example.com"},
            "SECRET_KEY is missing or too weak",
        ),
        (
            {"DEBUG": "0", "SECRET_KEY": "short", "ALLOWED_HOSTS": "example.com"},
            "SECRET_KEY is missing or too weak",
        ),
        (
            {"DEBUG": "0", "SECRET_KEY": "django-insecure-" + GOOD_KEY, "ALLOWED_HOSTS": "example.com"},
            "SECRET_KEY is missing or too weak",
        ),
        ({"DEBUG": "0", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is empty"),
    ],
)
def test_production_settings_refuse_to_start_with_a_clear_message(environment, message):
    result = run_manage(**environment)
    assert result.returncode == 1
    assert result.stderr.startswith(f"manage.py: {message}")
    assert "Traceback" not in result.stderr


def test_good_production_settings_start():
    result = run_manage(DEBUG="0", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="example.com")
    assert result.returncode == 0, result.stderr


def load_dev(monkeypatch, root):
    spec = importlib.util.spec_from_file_location("dev", settings.BASE_DIR / "dev.py")
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    monkeypatch.setattr(dev, "ROOT", root)
    return dev


def test_dev_py_writes_a_development_env_file_once(monkeypatch, tmp_path):
    dev = load_dev(monkeypatch, tmp_path)
    dev.ensure_dev_env()
    assert "DEBUG=1" in (tmp_path / ".env").read_text().splitlines()
    (tmp_path / ".env").write_text("DEBUG=1\nDATABASE_URL=postgres://localhost/mine\n")
    dev.ensure_dev_env()  # an existing file is the developer's: left as it is
    assert (tmp_path / ".env").read_text() == "DEBUG=1\nDATABASE_URL=postgres://localhost/mine\n"


def load_healthcheck():
    spec = importlib.util.spec_from_file_location(
        "healthcheck", settings.BASE_DIR / "deploy" / "healthcheck.py"
    )
    healthcheck = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(healthcheck)
    return healthcheck


@pytest.mark.parametrize(
    ("allowed_hosts", "host"),
    [
        ("flasky.example.com,www.example.com", "flasky.example.com"),
        (" .example.com", "example.com"),
        ("*", "localhost"),
        ("", "localhost"),
    ],
)
def test_the_container_health_check_names_a_host_django_serves(allowed_hosts, host):
    assert load_healthcheck().host_header(allowed_hosts) == host


@pytest.mark.django_db(transaction=True)
def test_the_container_health_check_passes_against_the_site(live_server, monkeypatch):
    healthcheck = load_healthcheck()
    monkeypatch.setenv("PORT", str(live_server.url.rsplit(":", 1)[1]))
    monkeypatch.setenv("ALLOWED_HOSTS", settings.ALLOWED_HOSTS[0])
    assert healthcheck.main() == 0
    monkeypatch.setenv("PORT", "1")  # nothing listens there
    assert healthcheck.main() == 1


def test_dev_py_test_cov_asks_pytest_for_a_summary_and_an_html_report(monkeypatch, tmp_path):
    dev = load_dev(monkeypatch, tmp_path)
    assert dev.pytest_arguments(["--cov", "-k", "profile"]) == [
        "-n",
        "auto",
        "--cov",
        "--cov-report=term",
        f"--cov-report=html:{tmp_path / 'htmlcov'}",
        "-k",
        "profile",
    ]
    assert dev.pytest_arguments(["-p", "no:randomly"]) == ["-p", "no:randomly"]


def test_dev_py_test_cov_prints_the_summary_and_writes_html(monkeypatch, tmp_path):
    dev = load_dev(monkeypatch, tmp_path)
    target = "flasky_project/tests/test_env_example.py"
    result = subprocess.run(  # noqa: S603 - this interpreter and pytest
        [sys.executable, "-m", "pytest", *dev.pytest_arguments(["--cov", "-p", "no:randomly", "-q", target])],
        cwd=settings.BASE_DIR,
        env={**os.environ, "COVERAGE_FILE": str(tmp_path / ".coverage")},
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "Name" in result.stdout and "Cover" in result.stdout and "TOTAL" in result.stdout
    assert "accounts/models.py" in result.stdout and "/tests/" not in result.stdout.split("TOTAL")[0]
    assert (tmp_path / "htmlcov" / "index.html").exists()
