"""Mail: the outbox, the links that mails carry, notices and digests."""

from flask import Blueprint

from forum.policy import protect

bp = Blueprint("mail", __name__)
# Who may reach its pages, unless a view declares otherwise (forum.policy).
protect(bp, "read")

from forum.mail import address_routes, admin_routes, routes  # noqa: E402,F401
