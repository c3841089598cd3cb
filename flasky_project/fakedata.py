"""The registry behind `manage.py fakedata`: each app contributes a generator from its own `fake` module.

An app's ``fake.py`` declares its options and how to fill its tables; the command discovers those modules
(as the admin discovers ``admin.py``), so the command knows no app and every app knows only those below it.
"""

import time
from dataclasses import dataclass, field

from django.utils.module_loading import autodiscover_modules


@dataclass(order=True)
class Generator:
    order: int
    name: str = field(compare=False)
    add_arguments: object = field(compare=False)
    generate: object = field(compare=False)


_generators: list[Generator] = []


class MissingData(Exception):  # noqa: N818 - reads as what the operator is told
    """What a generator builds on is missing (posts need users first, say)."""


def register(*, order, name, add_arguments):
    """Decorator for ``generate(options, *, rng, faker, progress)``.

    ``order`` sorts the generators: users before follows before posts."""

    def decorator(generate):
        if not any(existing.name == name for existing in _generators):
            _generators.append(Generator(order, name, add_arguments, generate))
        return generate

    return decorator


def generators():
    autodiscover_modules("fake")
    return sorted(_generators)


class Progress:
    """Writes "users: 4,000/10,000" lines as a generator goes, and the time each step took."""

    def __init__(self, stdout):
        self.stdout = stdout
        self.started = time.monotonic()

    def __call__(self, label, done, total):
        self.stdout.write(f"\r  {label}: {done:,}/{total:,}", ending="")
        if done >= total:
            self.stdout.write(f"  ({time.monotonic() - self.started:.1f} s)")
            self.started = time.monotonic()
        self.stdout.flush()


def batched(total, size=2000):
    """(start, count) pairs that cover ``total`` items in batches of ``size``."""
    for start in range(0, total, size):
        yield start, min(size, total - start)
