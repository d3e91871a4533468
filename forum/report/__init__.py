"""The report of the whole Dialogue for the co-chairs' summary: participation figures and charts, key
takeaways by theme, the sessions' answered questions and the Partnerships Hub's entries, as a printable
page and a PDF, in the reader's language. A staff edition has every dashboard figure; the public one only
the public summary's."""

from flask import Blueprint

from forum.policy import protect

bp = Blueprint("report", __name__)
# The staff edition's rule; the public edition's views declare their own.
protect(bp, "insights")

from forum.report import routes  # noqa: E402,F401
