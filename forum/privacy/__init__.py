"""Personal data: the privacy notice and consent to it, the data export, account deletion, and the
secretariat's log of such requests. It reads every feature's tables, so it sits with the face (admin)."""

from flask import Blueprint

from forum.policy import protect

bp = Blueprint("privacy", __name__)
# Who may reach its pages, unless a view declares otherwise (forum.policy).
protect(bp, "signed_in")

from forum.privacy import routes  # noqa: E402,F401
