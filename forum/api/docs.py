"""The OpenAPI document and its documentation page, drawn on the server (no script, works offline)."""

from flask import jsonify, render_template

from forum.api import bp, spec


@bp.route("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document of this API."""
    return jsonify(spec.document())


@bp.route("/docs")
def documentation():
    """The API's documentation: every operation with its parameters, body and answer, from the document."""
    document = spec.document()
    return render_template(
        "api/docs.html",
        document=document,
        schemas=document["components"]["schemas"],
        methods=("get", "post", "delete"),
    )
