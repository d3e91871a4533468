"""Full-text search over thread titles and published posts."""

from flask import Blueprint

bp = Blueprint("search", __name__)

from forum.search import routes, schema  # noqa: E402,F401 - schema registers the index's DDL
