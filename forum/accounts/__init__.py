"""Accounts: registration with stakeholder identity, sign-in, profiles."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from forum.accounts import identity_routes, routes, session_routes, twofactor_routes  # noqa: E402,F401
