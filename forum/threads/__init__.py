"""Themes, threads and posts."""

from flask import Blueprint

bp = Blueprint("threads", __name__)

from forum.threads import live, posts, routes  # noqa: E402,F401
