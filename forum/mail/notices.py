"""Essential notices by mail: account and identity decisions, registration attempts, moderation, sanctions.

They are always sent (no unsubscribe): the user must know. Each is queued in the transaction of
the decision that causes it.
"""

from flask_babel import lazy_gettext as _l

from forum.accounts import signals as account_signals
from forum.accounts.identity import ChangeState
from forum.accounts.models import User
from forum.extensions import db
from forum.mail import compose
from forum.notifications import signals as notice_signals
from forum.policy import allowed
from forum.states import AccountStatus

# Moderation notices that also go out by mail, with their subject.
POST_NOTICES = {
    "post_rejected": _l("A moderator rejected your post"),
    "post_hidden": _l("A moderator hid your post"),
}
SANCTION_SUBJECTS = {
    "warn": _l("A moderator sent you a warning"),
    "silence": _l("You may not post on the Dialogue Forum for a while"),
    "suspend": _l("Your Dialogue Forum account is suspended"),
}


def account_decided(user):
    """Tell an applicant that the secretariat verified or rejected the registration (with the reason)."""
    if user.status == AccountStatus.VERIFIED:
        subject = _l("Your Dialogue Forum account is verified")
    else:
        subject = _l("Your Dialogue Forum registration was not accepted")
    return compose.enqueue(user, f"account_{user.status}", "account_decided", subject)


def identity_decided(change):
    """Tell a participant that the secretariat accepted or declined their change of identity, and why."""
    if change.state == ChangeState.ACCEPTED:
        subject = _l("Your change of identity on the Dialogue Forum is accepted")
    else:
        subject = _l("Your change of identity on the Dialogue Forum was declined")
    kind = f"identity_{change.state}"
    return compose.enqueue(change.user, kind, "identity_decided", subject, change=change)


def post_outcome(user_id, kind, reason, post):
    """Tell an author that a moderator rejected or hid their post, and why."""
    user = db.session.get(User, user_id)
    if user is None or kind not in POST_NOTICES:
        return None
    thread = post.thread
    return compose.enqueue(
        user,
        kind,
        "post_outcome",
        POST_NOTICES[kind],
        outcome=kind,
        reason=reason,
        thread=thread,
        thread_visible=allowed(user, "thread.view", thread),
        excerpt=compose.excerpt(post),
    )


@notice_signals.notice_given.connect
def _post_notice(user_id, kind, message, post):
    """A moderators' decision about a post (rejected, hidden) is mailed to its author too."""
    if post is not None:
        post_outcome(user_id, kind, message, post)


def sanctioned(user, kind, reason, ends_at):
    """Tell a user about a warning, silence or suspension: the reason and, for the last two, the end."""
    return compose.enqueue(
        user,
        f"sanction_{kind}",
        "sanction",
        SANCTION_SUBJECTS[kind],
        sanction=kind,
        reason=reason,
        ends_at=ends_at,
    )


def registration_attempted(user):
    """Tell the owner of an address that someone tried to register with it, and how to get back in."""
    return compose.enqueue(
        user,
        "registration_attempted",
        "registration_attempted",
        _l("Someone tried to register with your address on the Dialogue Forum"),
    )


account_signals.registered_again.connect(registration_attempted)
account_signals.registration_decided.connect(account_decided)
