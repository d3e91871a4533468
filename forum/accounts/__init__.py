"""Accounts: registration with stakeholder identity, sign-in, profiles."""

from flask import Blueprint

from forum.policy import protect

bp = Blueprint("accounts", __name__)
# Who may reach its pages, unless a view declares otherwise (forum.policy).
protect(bp, "read")

from forum.accounts import identity_routes, routes  # noqa: E402,F401
