"""Untrusted input at the boundary: ids within the database's integer range, integer arguments, and text
the database can store. Routes, forms and socket handlers take their integers from here, and the checks of
every request (path, query, form) and socket payload refuse unstorable text before any view sees it.
"""

import re

from flask import abort, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter, ValidationError

from forum.security_log import security_event

# Every id column is an INTEGER: PostgreSQL refuses a larger value with an error (the request failed
# with a 500), SQLite stores 64 bits. One bound on both keeps them alike; beyond it there is no row.
DB_INT_MAX = 2**31 - 1
# PostgreSQL's text types refuse NUL, and psycopg cannot encode a lone surrogate as UTF-8 (a JSON
# socket payload can carry one as "\ud800"; Werkzeug decodes HTTP input with replacement characters).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def to_int(value, minimum=0, maximum=DB_INT_MAX):
    """`value` (an int, or a string of ASCII digits) as an int within [minimum, maximum]; else ValueError.

    Only ASCII digits count: int() also reads '٣' and str.isdigit() accepts '²', which int() refuses.
    """
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= len(str(maximum)):
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and minimum <= value <= maximum:
        return value
    raise ValueError(value)


def to_id(value):
    """A row id (1 to DB_INT_MAX) from an int or a string of ASCII digits; else ValueError."""
    return to_int(value, minimum=1)


def id_or_none(value):
    """A row id, or None for anything else (a WTForms filter for hidden id fields)."""
    try:
        return to_id(value)
    except ValueError:
        return None


def payload_id(payload, key):
    """The row id a socket payload gives as `key` (a JSON number, not a string), or None."""
    value = payload.get(key) if isinstance(payload, dict) else None
    return id_or_none(value) if isinstance(value, int) else None


def int_arg(name, default=None, minimum=0, maximum=DB_INT_MAX, values=None):
    """The integer argument `name` of the query (or of `values`, e.g. request.form), else `default`.

    A missing, malformed or out-of-range value falls back to the default, as Werkzeug's type=int does
    for a malformed one: these are page numbers and cursors of links, where a tampered value is no error.
    """
    try:
        return to_int((request.args if values is None else values).get(name), minimum, maximum)
    except ValueError:
        return default


def id_list(name, values=None):
    """The row ids among the values of `name` in the form (or `values`); anything else is left out."""
    ids = (id_or_none(value) for value in (request.form if values is None else values).getlist(name))
    return [row_id for row_id in ids if row_id is not None]


class IdConverter(IntegerConverter):
    """`<int:…>` in routes: ASCII digits within the database's integer range; any other value is a 404."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=0, max=DB_INT_MAX, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)

    def to_python(self, value):
        """The int, refusing more digits than the bound has before converting them."""
        if len(value) > len(str(self.max)):
            raise ValidationError
        return super().to_python(value)


def first_unstorable(value):
    """The first string inside `value` (a string, or dicts and lists of them) the database refuses, or None.

    Walked without recursion: a socket payload may nest as deep as its size allows.
    """
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if UNSTORABLE.search(item):
                return item
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
    return None


def refuse_unstorable_input():
    """Refuse, with a 400 that says why, a request whose address, query or form holds unstorable text.

    Refused, not stripped: no keyboard types a NUL, so it comes from a broken or hostile client, and
    silently changing what someone sent (a password, a quoted text) is worse than saying no.
    """
    if UNSTORABLE.search(request.path):
        security_event("input.refused", reason="unstorable", path=request.path[:200], ip=request.remote_addr)
        abort(400, description=_("The address contains a character that is not allowed (NUL)."))
    for where in (request.args, request.form):
        for name, value in where.items(multi=True):
            if UNSTORABLE.search(name) or UNSTORABLE.search(value):
                field = UNSTORABLE.sub("", name)[:60]
                security_event(
                    "input.refused",
                    reason="unstorable",
                    path=request.path,
                    field=field,
                    ip=request.remote_addr,
                )
                abort(
                    400,
                    description=_(
                        "The field “%(field)s” contains a character that is not allowed (NUL). Remove it "
                        "and send again.",
                        field=field,
                    ),
                )


def init_app(app):
    """Bound `<int:…>` in routes (before the blueprints add theirs) and check every request's input."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_unstorable_input)
