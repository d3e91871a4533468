"""Follows and in-app notifications."""

from flask import Blueprint

bp = Blueprint("notifications", __name__)

from forum.notifications import routes  # noqa: E402,F401
