"""Styled error pages that leak nothing."""

from flask import Blueprint

bp = Blueprint("errors", __name__)

from forum.errors import handlers  # noqa: E402,F401
