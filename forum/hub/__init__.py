"""Partnerships Hub: voluntary initiatives, partnerships, coalitions and concrete actions."""

from flask import Blueprint

bp = Blueprint("hub", __name__, url_prefix="/hub")

from forum.hub import review, routes  # noqa: E402,F401
