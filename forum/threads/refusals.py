"""Why someone may not post or reply, said in words they can act on: who decided, why and until when."""

from flask_babel import gettext as _

from forum.accounts import restrictions
from forum.i18n import geneva
from forum.policy import allowed


def silence_notice(user):
    """Until when and why a silenced user may not post; None when they are not silenced."""
    if not (user.is_authenticated and user.is_silenced):
        return None
    until = geneva(user.silenced_until)
    reason = restrictions.reason_of(user, "silence")
    if reason is None:
        return _("A moderator has silenced your account until %(date)s.", date=until)
    return _(
        "A moderator has silenced your account until %(date)s. The reason given: %(reason)s",
        date=until,
        reason=reason,
    )


def posting_refusal(user):
    """Why `user` may not open a thread or post; None when they may (or are not signed in)."""
    if not user.is_authenticated or allowed(user, "post"):
        return None
    return silence_notice(user) or _("Your account may not post.")


def reply_refusal(user, thread):
    """Why `user` may not reply in `thread`; None when they may (or are not signed in)."""
    if not user.is_authenticated or allowed(user, "thread.reply", thread):
        return None
    if thread.locked and allowed(user, "post"):
        return _("This thread is locked: no new replies.")
    return posting_refusal(user) or _("You may not reply here.")
