"""What the API reads and answers: validated arguments and bodies, cursor pages, JSON with ETags."""

import json

from flask import current_app, request
from marshmallow import ValidationError

from forum.api.problems import fail
from forum.extensions import db


def _checked(schema, data):
    """`data` loaded by `schema`, or a 422 problem naming each field's error."""
    try:
        return schema.load(data)
    except ValidationError as error:
        fail(422, "The request is not valid.", "invalid", errors=error.messages)


def arguments(schema):
    """The query string, checked by `schema` (unknown arguments are ignored)."""
    return _checked(schema(unknown="exclude"), request.args.to_dict())


def body(schema):
    """The JSON object of the request's body, checked by `schema`; an empty body is an empty object."""
    data = request.get_json(silent=True) if request.get_data() else {}
    if not isinstance(data, dict):
        fail(422, "The body must be a JSON object.", "invalid")
    return _checked(schema(), data)


def keyset(query, column, page, descending=False):
    """(rows, next cursor) of `query` ordered by the unique integer `column`, after `page["cursor"]`."""
    cursor, limit = page.get("cursor"), page["limit"]
    if cursor is not None:
        query = query.where(column < int(cursor) if descending else column > int(cursor))
    rows = db.session.scalars(query.order_by(column.desc() if descending else column).limit(limit + 1)).all()
    return _cut(rows, limit, lambda row: getattr(row, column.key))


def listed(items, key, page):
    """(items, next cursor) of a list already read in order of its increasing integer `key(item)`."""
    cursor = page.get("cursor")
    after = [item for item in items if cursor is None or key(item) > int(cursor)]
    return _cut(after, page["limit"], key)


def _cut(rows, limit, key):
    """The first `limit` rows, and the cursor after them when more follow."""
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (str(key(rows[-1])) if more else None)


def answer(schema, data, status=200):
    """`data` shaped by `schema` as a JSON response."""
    text = json.dumps(schema().dump(data), ensure_ascii=False, sort_keys=True)
    return current_app.response_class(text, status, mimetype="application/json")


def page(schema, items, next_cursor):
    """A page of a list as a JSON response."""
    return answer(schema, {"items": items, "next_cursor": next_cursor})


def conditional(response):
    """A GET's answer with its ETag; 304 without a body when the client's copy is the same."""
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        response.add_etag()
        response.make_conditional(request)
    return response
