"""Rows of a page read with SQL the ORM compiled once per process: a "prepared rows query".

A page's rows are read by their keys once the visibility rule has chosen them (flasky_project.pagination
.window, api.post_cache): a queryset of a few joins and annotations (counts, the viewer's flags) filtered
by those keys. Building that queryset and compiling it cost more than running it (about a third of a
logged-in home page's CPU), yet its SQL is the same on every request but for the keys and the viewer.

So it is compiled once per process for each number of keys (and each shape of the viewer, see
PreparedRows), with stand-in values for the keys and the viewer that no row has (negative ids): each key
must be found exactly once among the SQL's parameters (the viewer at least once) and none in its text.
Where each parameter comes from (a key, the viewer, or the SQL's own constant) is recorded, and each
request runs the SQL with its own values. When the compiled SQL does not have that shape (a change to the
queryset that writes a value into the SQL itself), every request compiles its own: a change to the
queryset can make a page slower, never wrong. The tests (blog/tests/test_prepared_rows.py,
api/tests/test_post_rows.py) compare what the kept SQL reads with what the ORM reads per request.

The rows are tuples as the ORM converts them; a model instance (with its related objects and annotations,
as the ORM builds it) only when asked for: the API's cache needs instances only for posts it has not
serialized yet.
"""

import threading

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connections
from django.db.models.query import get_related_populators

# Stand-ins for the viewer and the page's keys in the SQL compiled once (no row has a negative id).
CALLER = -7_000_000_001
FIRST_KEY = -8_000_000_001
# The viewer's shapes: one the SQL names (by id), one it does not read at all (a visitor, or a reader
# the query treats as one).
READER = "reader"
VISITOR = "visitor"


def _reader_shape(_viewer):
    return READER


def stand_in(shape):
    """The viewer the SQL of ``shape`` is compiled for."""
    return get_user_model()(pk=CALLER) if shape == READER else AnonymousUser()


class RowsQuery:
    """The rows query ``build(keys, viewer)`` for ``size`` keys, compiled for the database ``db`` with the
    viewer of ``shape``: its SQL, where each parameter comes from, and how to read its rows (the
    compiler's converters, the model's columns, its related objects' populators, its annotations)."""

    def __init__(self, build, db, size, shape=READER):
        keys = [FIRST_KEY - index for index in range(size)]
        self.build, self.db = build, db
        self.compiler = compiler = build(keys, stand_in(shape)).query.get_compiler(using=db)
        self.sql, params = compiler.as_sql()
        self.sources = [_source(param, keys) for param in params]
        found = sorted(source[1] for source in self.sources if source[0] == "key")
        self.prepared = (
            found == list(range(size))
            and (("caller",) in self.sources) == (shape == READER)
            and not any(str(value)[1:] in self.sql for value in [CALLER, *keys])
        )
        info = compiler.klass_info
        self.model = info["model"]
        self.columns = slice(info["select_fields"][0], info["select_fields"][-1] + 1)
        self.init_list = [column[0].target.attname for column in compiler.select[self.columns]]
        self.pk_position = self.columns.start + self.init_list.index(self.model._meta.pk.attname)
        self.populators = get_related_populators(info, compiler.select, db)
        self.annotations = dict(compiler.annotation_col_map)
        selected = [column[0] for column in compiler.select[: compiler.col_count]]
        self.converters = compiler.get_converters(selected)

    def params(self, keys, viewer):
        """The kept SQL's parameters for ``keys`` and ``viewer``."""
        return [
            keys[source[1]] if source[0] == "key" else viewer.pk if source[0] == "caller" else source[1]
            for source in self.sources
        ]

    def run(self, keys, viewer):
        """The rows of ``keys`` as tuples (converted as the ORM converts them), in no particular order."""
        if self.prepared:
            sql, params = self.sql, self.params(keys, viewer)
        else:  # compiled for this request (see the module's docstring)
            sql, params = self.build(keys, viewer).query.get_compiler(using=self.db).as_sql()
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        return rows

    def instance(self, row):
        """The model instance the ORM would have built from ``row`` (with its related objects, e.g. those of
        select_related, and its annotations)."""
        instance = self.model.from_db(self.db, self.init_list, row[self.columns])
        for populator in self.populators:
            populator.populate(row, instance)
        for name, position in self.annotations.items():
            setattr(instance, name, row[position])
        return instance


def _source(param, keys):
    if isinstance(param, int) and not isinstance(param, bool):
        if param == CALLER:
            return ("caller",)
        if param in keys:
            return ("key", keys.index(param))
    return ("value", param)


class PreparedRows:
    """The rows of ``build(keys, viewer)`` (a queryset of a page's rows, filtered by their keys), through a
    RowsQuery kept per process for each database, number of keys and ``shape(viewer)``: READER when the
    SQL names the viewer (their id, once), VISITOR when it reads nothing of them (``build`` must then give
    the same SQL for this viewer as for a visitor; the tests compare them)."""

    def __init__(self, build, shape=_reader_shape):
        self.build, self.shape = build, shape
        self.queries = {}
        self._lock = threading.Lock()

    def query(self, db, size, viewer=None):
        """The kept RowsQuery for ``size`` keys on ``db`` and ``viewer``'s shape (compiled if there is
        none)."""
        shape = self.shape(viewer)
        name = (db, size, shape)
        query = self.queries.get(name)
        if query is None:
            with self._lock:
                query = self.queries.get(name) or self.queries.setdefault(
                    name, RowsQuery(self.build, db, size, shape)
                )
        return query

    def rows(self, keys, viewer, db):
        """(the RowsQuery, its rows as tuples) for ``keys`` (a list) and ``viewer``."""
        query = self.query(db, len(keys), viewer)
        return query, query.run(keys, viewer)

    def instances(self, keys, viewer, db):
        """The model instances of ``keys`` (a list), as the ORM would build them from ``build(keys,
        viewer)``, in no particular order."""
        if not keys:
            return []
        query, rows = self.rows(keys, viewer, db)
        return [query.instance(row) for row in rows]
