"""The registry behind `manage.py fakedata`: each app contributes a generator from its own `fake` module.

An app's ``fake.py`` declares its options and how to fill its tables; the command discovers those modules
(as the admin discovers ``admin.py``), so the command knows no app and every app knows only those below it.
"""

import time
from dataclasses import dataclass, field

from django.db import connection, transaction
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
    """Writes "users: 4,000/10,000" lines as a generator goes, and the time each step took: the wall clock,
    and the processor time of this process (what a busy machine does not inflate; the database's own work is
    in it on SQLite, not on PostgreSQL)."""

    def __init__(self, stdout):
        self.stdout = stdout
        self._restart()

    def _restart(self):
        self.started, self.started_cpu = time.monotonic(), time.process_time()

    def __call__(self, label, done, total):
        self.stdout.write(f"\r  {label}: {done:,}/{total:,}", ending="")
        if done >= total:
            wall, cpu = time.monotonic() - self.started, time.process_time() - self.started_cpu
            self.stdout.write(f"  ({wall:.1f} s, {cpu:.1f} s CPU)")
            self._restart()
        self.stdout.flush()


def batched(total, size=2000):
    """(start, count) pairs that cover ``total`` items in batches of ``size``."""
    for start in range(0, total, size):
        yield start, min(size, total - start)


def insert_rows(model, fields, rows, *, ignore_conflicts=False):
    """Insert ``rows``, tuples of values for the ``model``'s ``fields`` (by name), and return the new rows'
    ids in the order of ``rows`` (None when ``ignore_conflicts`` may have skipped some). The fields not
    named take their defaults, computed once for all the rows.

    On SQLite, one prepared single-row INSERT is run for every row (``executemany``): building a model
    instance for each row and an INSERT of 66 rows at a time (all SQLite takes, at 999 parameters) cost
    bulk_create four times what SQLite spends storing them. The write lock is held from the first insert to
    the commit, so the new ids are those past the largest before. Elsewhere it is ``bulk_create``, which on
    PostgreSQL returns the ids from the same statements."""
    rows = list(rows)
    if connection.vendor != "sqlite":
        objects = [model(**dict(zip(fields, row, strict=True))) for row in rows]
        created = model.objects.bulk_create(objects, ignore_conflicts=ignore_conflicts)
        return None if ignore_conflicts else [obj.pk for obj in created]
    meta, quote = model._meta, connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    given = [meta.get_field(name) for name in fields]
    others = [field for field in meta.concrete_fields if field not in given and not field.primary_key]
    defaults = tuple(field.get_db_prep_save(field.get_default(), connection) for field in others)
    columns = ", ".join(quote(field.column) for field in [*given, *others])
    placeholders = ", ".join(["%s"] * (len(given) + len(others)))
    verb = "INSERT OR IGNORE INTO" if ignore_conflicts else "INSERT INTO"

    def prepared(row):
        # Text, whole numbers and None are bound as they are (what the fields' own preparation returns for
        # them); dates and times go through their field, which makes them UTC text as Django stores them.
        return (
            *(
                value
                if value is None or type(value) in (str, int, bool)
                else field.get_db_prep_save(value, connection)
                for field, value in zip(given, row, strict=True)
            ),
            *defaults,
        )

    # Only names from the model's own metadata are formatted into the SQL; the values are parameters.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max({pk}), 0) FROM {table}")  # noqa: S608
        (last,) = cursor.fetchone()
        cursor.executemany(f"{verb} {table} ({columns}) VALUES ({placeholders})", list(map(prepared, rows)))
        if ignore_conflicts:
            return None
        cursor.execute(f"SELECT {pk} FROM {table} WHERE {pk} > %s ORDER BY {pk}", [last])  # noqa: S608
        ids = [new for (new,) in cursor.fetchall()]
    if len(ids) != len(rows):  # someone else wrote to the table meanwhile: cannot happen under the lock
        raise RuntimeError(f"{len(rows)} rows inserted into {meta.db_table} but {len(ids)} new ids found")
    return ids
