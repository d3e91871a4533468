"""Who may see and do what with threads and posts: small checks used by routes, events and services."""

from flask import current_app

from forum.permissions import Permission


def is_staff(user):
    """Moderators and admins."""
    return user.is_authenticated and user.can(Permission.MODERATE)


def can_read_site(user):
    """Anonymous visitors read only while the site is public."""
    return user.is_authenticated or current_app.config["PUBLIC_READ"]


# Posts every reader sees (a deleted one as a placeholder).
PUBLIC_STATES = ("published", "deleted")
# Posts and threads out of public sight that their author still sees, with the moderators' reason.
OWN_ONLY_STATES = ("pending", "hidden", "rejected")


def can_view_thread(user, thread):
    """A published thread is for every reader; a held or rejected one for its author and staff."""
    if not can_read_site(user):
        return False
    if thread.state == "published" or is_staff(user):
        return True
    return thread.state in OWN_ONLY_STATES and user.is_authenticated and user.id == thread.author_id


def can_post(user):
    """Signed-in users whose registration was not rejected; pending users are held for review."""
    return user.is_authenticated and user.can(Permission.POST) and user.status != "rejected"


def can_reply(user, thread):
    """Post into a thread: it must be visible and, unless the user is staff, not locked."""
    return can_post(user) and can_view_thread(user, thread) and (not thread.locked or is_staff(user))


def can_edit_thread(user, thread):
    """The author or a moderator changes a thread's title, kind, attribution and tags."""
    own = user.is_authenticated and user.id == thread.author_id
    return (own or is_staff(user)) and thread.state != "deleted"


def can_view_post(user, post):
    """Published and deleted (as a placeholder) for all; the other states for their author and staff."""
    if post.state in PUBLIC_STATES:
        return True
    if is_staff(user):
        return True
    return post.state in OWN_ONLY_STATES and user.is_authenticated and user.id == post.author_id


def can_edit_post(user, post):
    """Authors edit their own live posts outside locked threads; staff edit any post."""
    if is_staff(user):
        return post.state != "deleted"
    own = user.is_authenticated and user.id == post.author_id
    return own and post.state in ("published", "pending") and not post.thread.locked


def can_endorse(user, post):
    """Verified participants endorse other people's published posts."""
    return (
        user.is_authenticated
        and user.is_verified
        and post.state == "published"
        and post.author_id != user.id
        and user.can(Permission.POST)
    )


def can_flag(user, post):
    """Flagging follows the same rule as endorsing: verified participants, other people's published posts."""
    return can_endorse(user, post)


def shows_author(user, thread):
    """Chatham House hides who wrote a post from everyone but staff."""
    return thread.attribution == "record" or is_staff(user)
