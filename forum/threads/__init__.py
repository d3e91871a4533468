"""Themes, threads and posts."""

from flask import Blueprint

bp = Blueprint("threads", __name__)

from forum.threads import routes  # noqa: E402,F401
