"""Secretariat tools: registrations, changes of identity, roles and invitations. Admins only, guarded once."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from forum.admin import identity, routes, sessions  # noqa: E402,F401
