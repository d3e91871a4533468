"""Full-text search over thread titles and published posts."""

from flask import Blueprint

from forum.policy import protect

bp = Blueprint("search", __name__)
# Who may reach its pages, unless a view declares otherwise (forum.policy).
protect(bp, "read")

from forum.search import routes, schema  # noqa: E402,F401 - schema registers the index's DDL
