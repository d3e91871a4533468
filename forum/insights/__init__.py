"""Participation insights: the organisers' dashboard of who registers, who takes part and who is heard,
and its public summary without personal data."""

from flask import Blueprint

from forum.policy import protect

bp = Blueprint("insights", __name__)
# The dashboard is for the secretariat and moderators; the public summary declares its own rule.
protect(bp, "insights")

from forum.insights import marks, routes  # noqa: E402,F401
