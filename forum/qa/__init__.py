"""The Dialogue's agenda and its sessions: live Q&A, presenter screen, speakers' list, exports."""

from flask import Blueprint

from forum.policy import protect

bp = Blueprint("qa", __name__)
# Who may reach its pages, unless a view declares otherwise (forum.policy).
protect(bp, "read")

from forum.qa import events, live, routes, screen, speaker_routes  # noqa: E402,F401
