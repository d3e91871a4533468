"""Errors as RFC 9457 problem details (application/problem+json), for every answer under the API."""

import json

from flask import current_app
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

MEDIA_TYPE = "application/problem+json"
# Headers of an error that the client needs: what to retry after, which methods, how to authenticate.
KEPT_HEADERS = ("Retry-After", "Allow", "WWW-Authenticate")
# A refused action's code (forum.rules.RuleViolation) -> its status.
STATUS_OF_CODE = {
    "forbidden": 403,
    "not_found": 404,
    "duplicate": 409,
    "already_voted": 409,
    "not_voted": 409,
    "throttled": 429,
}


def problem(status, detail=None, code=None, headers=None, **extensions):
    """A problem details response: the status's title, an English or translated detail, our own code."""
    body = {"type": "about:blank", "title": HTTP_STATUS_CODES.get(status, "Error"), "status": status}
    if detail:
        body["detail"] = str(detail)
    if code:
        body["code"] = code
    body.update(extensions)
    response = current_app.response_class(json.dumps(body, ensure_ascii=False), status, mimetype=MEDIA_TYPE)
    response.headers.update(headers or {})
    return response


class Problem(HTTPException):
    """An HTTP error raised inside the API whose answer is already a problem response."""

    def __init__(self, response):
        super().__init__(response=response)
        self.code = response.status_code


def fail(status, detail=None, code=None, headers=None, **extensions):
    """End the request with a problem response."""
    raise Problem(problem(status, detail, code, headers, **extensions))


def refused(error):
    """A service's RuleViolation as a problem: 403, 409, 429 (with Retry-After) or 422 beside its field."""
    status = STATUS_OF_CODE.get(error.code, 422)
    headers = {"Retry-After": str(error.retry_after)} if hasattr(error, "retry_after") else None
    fields = {"field": error.field} if error.field else {}
    fail(status, error.message, error.code, headers, **fields)


def render(error):
    """Any error met under the API (an HTTPException, or None for an unexpected failure) as a problem."""
    if isinstance(error, Problem):
        return error.response
    if not isinstance(error, HTTPException):
        return problem(500)
    headers = {k: v for k, v in error.get_response().headers.items() if k in KEPT_HEADERS}
    if error.code == 401:
        headers.setdefault("WWW-Authenticate", "Bearer")
    default = error.description == type(error).description
    return problem(error.code, None if default else error.description, headers=headers)
