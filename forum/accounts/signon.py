"""Opening a signed-in session, after the password alone or after the second factor too."""

from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user

from forum.accounts import devices, sessions, twofactor, twofactor_flow, usersessions
from forum.security import is_safe_next


def next_target(default="main.index"):
    """A same-site `next` from the query or the form, else the URL of `default`."""
    target = request.args.get("next") or request.form.get("next")
    return target if is_safe_next(target) else url_for(default)


def start_session(user, second_factor=None):
    """A fresh, dated session for `user` (no fixation); `second_factor` says how it gave one, if it did."""
    session.clear()
    login_user(user)
    sessions.start(session)
    session[sessions.SESSION_ID] = usersessions.open_session(
        user, request.remote_addr, request.user_agent.string
    )
    if second_factor:
        twofactor.record_proof(session, second_factor)


def signed_in(user, target, second_factor=None, remember=False):
    """Sign `user` in and go to `target`, recognising this browser (device cookie) from now on."""
    start_session(user, second_factor)
    response = redirect(target)
    if remember:
        twofactor_flow.remember(response, user)
    # This browser is now recognised for the account: strangers' guesses no longer lock it out.
    return devices.give(response, devices.issue(user))


def after_password(user):
    """The password was right: finish signing in, ask for the second factor, or send staff to enrol."""
    target = next_target()
    if twofactor.enrolled(user):
        if twofactor_flow.remembered(user, request):
            return signed_in(user, target, "remembered")
        twofactor_flow.begin(session, user, target)
        return redirect(url_for("accounts.login_code"))
    if twofactor.required_for(user):
        flash(_("Your role needs two-factor sign-in. Set it up to use the staff tools."), "info")
        return signed_in(user, url_for("accounts.two_factor", next=target))
    return signed_in(user, target)
