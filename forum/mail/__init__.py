"""Mail: the outbox, the links that mails carry, notices and digests."""

from flask import Blueprint

from forum.policy import protect

bp = Blueprint("mail", __name__)
# Who may reach its pages, unless a view declares otherwise (forum.policy).
protect(bp, "read")

# notices, services and digests receive the signals of accounts and notifications (a layer below).
from forum.mail import address_routes, admin_routes, digests, notices, routes, services  # noqa: E402,F401
