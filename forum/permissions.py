"""Roles and their permission flags; the rules that use them are in forum.policy."""

from enum import IntFlag, StrEnum

from flask_babel import lazy_gettext as _l


class Permission(IntFlag):
    """What a role may do; a user's account status can restrict it further."""

    READ = 1
    POST = 2
    MODERATE = 4
    CHAIR = 8
    ADMIN = 16


class Role(StrEnum):
    """A user's role (users.role)."""

    PARTICIPANT = "participant"
    CHAIR = "chair"
    MODERATOR = "moderator"
    ADMIN = "admin"


ROLES = {
    Role.PARTICIPANT: Permission.READ | Permission.POST,
    Role.CHAIR: Permission.READ | Permission.POST | Permission.CHAIR,
    # CHAIR counts only for the sessions a user is assigned to (forum.policy, rule "session.chair").
    Role.MODERATOR: Permission.READ | Permission.POST | Permission.MODERATE | Permission.CHAIR,
    Role.ADMIN: Permission.READ | Permission.POST | Permission.MODERATE | Permission.CHAIR | Permission.ADMIN,
}
# The roles above a participant's.
STAFF_ROLES = (Role.CHAIR, Role.MODERATOR, Role.ADMIN)

ROLE_LABELS = {
    Role.PARTICIPANT: _l("Participant"),
    Role.CHAIR: _l("Session chair"),
    Role.MODERATOR: _l("Moderator"),
    Role.ADMIN: _l("Secretariat (admin)"),
}
