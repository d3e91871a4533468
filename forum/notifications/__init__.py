"""Follows and in-app notifications."""

from flask import Blueprint

from forum.policy import protect

bp = Blueprint("notifications", __name__)
# Who may reach its pages, unless a view declares otherwise (forum.policy).
protect(bp, "signed_in")

from forum.notifications import routes  # noqa: E402,F401
