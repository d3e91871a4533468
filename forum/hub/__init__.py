"""Partnerships Hub: voluntary initiatives, partnerships, coalitions and concrete actions."""

from flask import Blueprint

from forum.policy import protect

bp = Blueprint("hub", __name__, url_prefix="/hub")
# Who may reach its pages, unless a view declares otherwise (forum.policy).
protect(bp, "read")

from forum.hub import review, routes  # noqa: E402,F401
