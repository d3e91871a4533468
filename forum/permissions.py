"""Roles, permission flags and the small checks every route and socket event uses."""

import logging
from enum import IntFlag

from flask import abort, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

log = logging.getLogger(__name__)


class Permission(IntFlag):
    """What a role may do; a user's account status can restrict it further."""

    READ = 1
    POST = 2
    MODERATE = 4
    CHAIR = 8
    ADMIN = 16


ROLES = {
    "participant": Permission.READ | Permission.POST,
    "chair": Permission.READ | Permission.POST | Permission.CHAIR,
    # CHAIR counts only for the sessions a user is assigned to (forum.qa.services.is_chair_of).
    "moderator": Permission.READ | Permission.POST | Permission.MODERATE | Permission.CHAIR,
    "admin": Permission.READ | Permission.POST | Permission.MODERATE | Permission.CHAIR | Permission.ADMIN,
}

ROLE_LABELS = {
    "participant": _l("Participant"),
    "chair": _l("Session chair"),
    "moderator": _l("Moderator"),
    "admin": _l("Secretariat (admin)"),
}


def require(permission):
    """Abort the request unless the current user holds `permission`."""
    from forum.extensions import login_manager

    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not current_user.can(permission):
        if getattr(current_user, "second_factor_missing", False) and ROLES[current_user.role] & permission:
            # Staff whose session has not given a second factor are sent to give one (or to enrol).
            abort(redirect(url_for("accounts.two_factor", next=request.full_path.rstrip("?"))))
        # Refusals are logged: a participant probing staff pages is something the secretariat should see.
        log.warning("user %s refused %s (needs %s)", current_user.id, request.path, permission.name)
        abort(403)
