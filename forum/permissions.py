"""Roles and their permission flags; the rules that use them are in forum.policy."""

from enum import IntFlag

from flask_babel import lazy_gettext as _l


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
    # CHAIR counts only for the sessions a user is assigned to (forum.policy, rule "session.chair").
    "moderator": Permission.READ | Permission.POST | Permission.MODERATE | Permission.CHAIR,
    "admin": Permission.READ | Permission.POST | Permission.MODERATE | Permission.CHAIR | Permission.ADMIN,
}

ROLE_LABELS = {
    "participant": _l("Participant"),
    "chair": _l("Session chair"),
    "moderator": _l("Moderator"),
    "admin": _l("Secretariat (admin)"),
}
