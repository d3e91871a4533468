"""The Dialogue's home page."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from forum.main import routes  # noqa: E402,F401
