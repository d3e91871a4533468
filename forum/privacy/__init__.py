"""Personal data: the privacy notice and consent to it, the data export, account deletion, and the
secretariat's log of such requests. It reads every feature's tables, so it sits with the face (admin)."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)

from forum.privacy import routes  # noqa: E402,F401
