#!/usr/bin/env python3
"""Set up and run Flasky on a fresh clone with nothing but Python 3.11+ and git.

    python3 dev.py serve     create .venv, install requirements, migrate, load demo data, serve on :8000
    python3 dev.py test      create .venv, install requirements (with test tools), run the whole test suite
    python3 dev.py test --cov    the same, measuring coverage: a summary, and a report in htmlcov/index.html

Extra arguments go to the server (`serve 0.0.0.0:8000`) or to pytest (`test -k profile -x`).
"""

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def main(argv):
    if sys.version_info < (3, 11):
        sys.exit(f"Flasky needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not argv or argv[0] not in ("serve", "test"):
        sys.exit(__doc__)
    command, extra = argv[0], argv[1:]
    ensure_dev_env()
    if command == "serve":
        ensure_venv(ROOT / "requirements.txt")
        serve(extra)
    else:
        ensure_venv(ROOT / "requirements-dev.txt")
        sys.exit(test(extra))


def ensure_dev_env():
    """Make this checkout a development one: a .env with DEBUG=1 (never committed, never overwritten), so
    that `.venv/bin/python manage.py ...` works here as it does under `dev.py`. Without it the settings
    demand a production SECRET_KEY and ALLOWED_HOSTS."""
    path = ROOT / ".env"
    if not path.exists():
        path.write_text(
            "# Written by dev.py for local development; see .env.example for every variable.\n"
            "# Production sets its variables in the environment (DEBUG=0 there wins over this file).\n"
            "DEBUG=1\n"
        )
        print(f"Wrote {path.name} with DEBUG=1 for local development.", flush=True)


def ensure_venv(requirements):
    """Create .venv and install the pinned requirements, skipping the install when nothing changed."""
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    stamp = VENV / f".installed-{requirements.stem}"
    digest = requirements_digest(requirements)
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(f"Installing {requirements.name} ...", flush=True)
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check"]
    subprocess.run([*pip, "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "--quiet", "-r", str(requirements)], check=True)
    stamp.write_text(digest)


def requirements_digest(requirements):
    """A hash of the requirements file and every file it includes with -r."""
    digest = hashlib.sha256()
    pending = [requirements]
    while pending:
        path = pending.pop()
        text = path.read_text()
        digest.update(text.encode())
        pending += [
            path.parent / line.split(maxsplit=1)[1] for line in text.splitlines() if line.startswith("-r ")
        ]
    return digest.hexdigest()


def manage(*args, env):
    subprocess.run([str(PYTHON), str(ROOT / "manage.py"), *args], check=True, env=env, cwd=ROOT)


def serve(extra):
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "1")}
    manage("deploy", env=env)
    manage("seed_demo", env=env)
    address = extra[0] if extra else "127.0.0.1:8000"
    print(f"\nServing Flasky on http://{address}/ (Ctrl+C to stop). Emails are printed here.\n", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        manage("runserver", address, env=env)


def pytest_arguments(extra):
    """pytest's arguments for `dev.py test`: in parallel unless told otherwise; `--cov` measures the
    apps' coverage (configured in pyproject.toml), prints the summary and writes an HTML report."""
    arguments = [] if "-n" in extra or "-p" in extra else ["-n", "auto"]
    for argument in extra:
        if argument == "--cov":
            arguments += ["--cov", "--cov-report=term", f"--cov-report=html:{ROOT / 'htmlcov'}"]
        else:
            arguments.append(argument)
    return arguments


def test(extra):
    env = dict(os.environ)
    if not find_chromium():
        print(
            "Note: Chromium was not found, so the end-to-end browser tests will be skipped. "
            "Install it (Debian/Ubuntu: apt-get install chromium) to run them.",
            flush=True,
        )
    arguments = pytest_arguments(extra)
    return subprocess.run([str(PYTHON), "-m", "pytest", *arguments], env=env, cwd=ROOT).returncode


def find_chromium():
    return os.environ.get("CHROMIUM_PATH") or next(
        (path for name in ("chromium", "chromium-browser") if (path := shutil.which(name))), None
    )


if __name__ == "__main__":
    main(sys.argv[1:])
