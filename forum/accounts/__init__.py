"""Accounts: registration with stakeholder identity, sign-in, profiles."""

from flask import Blueprint

from forum.policy import protect

bp = Blueprint("accounts", __name__)
# Who may reach its pages, unless a view declares otherwise (forum.policy).
protect(bp, "read")


@bp.record_once
def template_globals(state):
    """The names of account statuses, for every template."""
    state.app.jinja_env.globals["status_labels"] = models.STATUS_LABELS


from forum.accounts import (  # noqa: E402,F401
    identity_routes,
    models,
    passkey_routes,
    routes,
    session_routes,
    twofactor_routes,
)
from forum.realtime import claims  # noqa: E402

# Sockets know their user by the session's claim, read the way the accounts feature signs in.
claims.register(models.session_claim)
