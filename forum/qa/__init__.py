"""The Dialogue's agenda and its sessions: live Q&A, presenter screen, speakers' list, exports."""

from flask import Blueprint

bp = Blueprint("qa", __name__)

from forum.qa import events, live, routes  # noqa: E402,F401
