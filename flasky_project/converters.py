"""URL converters the apps share: ``<id:pk>`` for database ids (registered in flasky_project.urls)."""

MAX_ID = 2**63 - 1  # the largest id a database here stores: a signed 64-bit integer


def is_id(value):
    """Whether ``value`` (a string from an address) is an id a database can hold."""
    return value.isascii() and value.isdigit() and int(value) <= MAX_ID


class IdConverter:
    """A database id, 0 to MAX_ID. A larger number matches no address (a 404), where <int:> would pass it to a
    query that overflows the database's integers (a 500 on SQLite) wherever Django does not check the range
    itself, as for a talk's key, which is a one-to-one field."""

    regex = "[0-9]{1,19}"

    def to_python(self, value):
        if not is_id(value):
            raise ValueError(f"not an id: {value}")  # ValueError: the address matches nothing
        return int(value)

    def to_url(self, value):
        return str(value)
