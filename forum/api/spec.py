"""The OpenAPI 3.1 document, made from the API's own views and schemas with apispec.

Each view declares its operation with `operation` (its summary, the schemas of its arguments, body and
answer); the document walks the app's URL map, so a route cannot be left out of it.
"""

import inspect

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app
from werkzeug.routing import IntegerConverter

from forum.api.problems import MEDIA_TYPE
from forum.api.schemas import ProblemDetails
from forum.params import DB_INT_MAX

SLUG = {"type": "string", "pattern": "^[a-z0-9-]{1,80}$"}
ROW_ID = {"type": "integer", "minimum": 1, "maximum": DB_INT_MAX}


def operation(summary, response, args=None, body=None, status=200):
    """Declare a view's operation: what it answers (`response`, with `status`), reads and takes."""

    def declare(view):
        """Mark the view."""
        view.api_operation = {
            "summary": summary, "response": response, "args": args, "body": body, "status": status,
        }  # fmt: skip
        return view

    return declare


def _path(rule):
    """A Werkzeug rule as an OpenAPI path, and its path parameters."""
    path, parameters = rule.rule, []
    for name, converter in rule._converters.items():
        integer = isinstance(converter, IntegerConverter)
        path = path.replace(f"<int:{name}>" if integer else f"<{name}>", f"{{{name}}}")
        schema = ROW_ID if integer else SLUG
        parameters.append({"in": "path", "name": name, "required": True, "schema": schema})
    return path, parameters


def _security(view):
    """Reads work without a token where the site is public; /me needs one; writes one with the write scope."""
    if getattr(view, "api_scope", None) == "write":
        return [{"bearer": ["write"]}]
    return [{"bearer": []}] if getattr(view, "policy_rule", None) == "signed_in" else [{}, {"bearer": []}]


def _operation(view, method, declared, path_parameters):
    """One operation of the document."""
    content = {"application/json": {"schema": declared["response"]}}
    responses = {str(declared["status"]): {"description": declared["summary"], "content": content}}
    if method == "get":
        responses["304"] = {"description": "Not modified: the If-None-Match ETag is current"}
    responses["default"] = {
        "description": "An error, as problem details (RFC 9457)",
        "content": {MEDIA_TYPE: {"schema": "ProblemDetails"}},
    }
    found = {
        "operationId": f"{view.__name__}_{method}",
        "summary": declared["summary"],
        "description": inspect.getdoc(view) or "",
        "parameters": list(path_parameters),
        "responses": responses,
        "security": _security(view),
    }
    if declared["args"] is not None:
        found["parameters"].append({"in": "query", "schema": declared["args"]})
    if declared["body"] is not None:
        found["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": declared["body"]}},
        }
    return found


def build(app):
    """The OpenAPI document of the app's API, as a dict."""
    spec = APISpec(
        title="Dialogue Forum API",
        version="1",
        openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
        info={"description": "Read the Global Dialogue on AI Governance's forum; reply, ask, vote and flag."},
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema("ProblemDetails", schema=ProblemDetails)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions[rule.endpoint]
        declared = getattr(view, "api_operation", None)
        if not rule.endpoint.startswith("api.") or declared is None:
            continue
        path, parameters = _path(rule)
        methods = sorted(m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
        spec.path(path=path, operations={m: _operation(view, m, declared, parameters) for m in methods})
    return spec.to_dict()


def document():
    """This app's document, made once."""
    if "api_spec" not in current_app.extensions:
        current_app.extensions["api_spec"] = build(current_app)
    return current_app.extensions["api_spec"]
