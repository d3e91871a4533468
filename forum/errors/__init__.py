"""Styled error pages that leak nothing."""

from flask import Blueprint

from forum.policy import protect

bp = Blueprint("errors", __name__)
# Who may reach its pages, unless a view declares otherwise (forum.policy).
protect(bp, "read")

from forum.errors import handlers  # noqa: E402,F401
