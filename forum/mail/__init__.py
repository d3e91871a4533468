"""Mail: the outbox, the links that mails carry, notices and digests."""

from flask import Blueprint

bp = Blueprint("mail", __name__)

from forum.mail import address_routes, admin_routes, routes  # noqa: E402,F401
