"""Moderation: the review queue, flags, sanctions, staff notes and the audit log. Staff only, guarded once."""

from flask import Blueprint

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

from forum.moderation import audit, events, live, routes  # noqa: E402,F401
