"""Secretariat tools: registrations, changes of identity, roles and invitations. Admins only, guarded once."""

from flask import Blueprint

from forum.policy import protect

bp = Blueprint("admin", __name__, url_prefix="/admin")
# Who may reach its pages, unless a view declares otherwise (forum.policy).
protect(bp, "administer")

from forum.admin import identity, routes, sessions  # noqa: E402,F401
