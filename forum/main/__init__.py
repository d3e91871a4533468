"""The Dialogue's home page."""

from flask import Blueprint

from forum.policy import protect

bp = Blueprint("main", __name__)
# Who may reach its pages, unless a view declares otherwise (forum.policy).
protect(bp, "read")

from forum.main import routes  # noqa: E402,F401
