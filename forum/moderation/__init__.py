"""Moderation: the review queue, flags, sanctions, staff notes and the audit log. Staff only, guarded once."""

from flask import Blueprint

from forum.policy import protect

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
# Who may reach its pages, unless a view declares otherwise (forum.policy).
protect(bp, "moderate")

from forum.moderation import events, flag_routes, live, routes  # noqa: E402,F401
