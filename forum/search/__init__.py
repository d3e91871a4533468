"""Full-text search over thread titles and published posts."""

from flask import Blueprint

bp = Blueprint("search", __name__)

from forum.search import routes  # noqa: E402,F401
