"""Which rooms exist and who may join them."""

from flask_login import current_user

from forum.permissions import Permission

# Room name -> the permission a member needs.
STAFF_ROOMS = {"registrations": Permission.ADMIN}


def may_join(room):
    """True when the current user may subscribe to `room`."""
    needed = STAFF_ROOMS.get(room)
    return needed is not None and current_user.is_authenticated and current_user.can(needed)
