"""The sessions page: where the account is signed in, and signing other sessions out."""

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from forum.accounts import bp, usersessions
from forum.policy import requires
from forum.rules import RuleViolation


@bp.route("/account/sessions")
@requires("signed_in")
def sessions_page():
    """The signed-in user's open sessions: browser and system, address, place of sign-in, times."""
    rows = usersessions.active(current_user)
    return render_template(
        "accounts/sessions.html",
        rows=rows,
        current=usersessions.current_id(session),
        describe=usersessions.describe,
        place_name=usersessions.place_name,
        located=usersessions.located(rows),
    )


@bp.route("/account/sessions/<session_id>/end", methods=["POST"])
@requires("signed_in")
def end_session(session_id):
    """Sign out one other session of one's own: its next page and its live connections are signed out."""
    if session_id == usersessions.current_id(session):
        abort(400)
    try:
        usersessions.revoke(current_user._get_current_object(), session_id)
    except RuleViolation:
        abort(404)
    flash(_("That session is signed out."), "success")
    return redirect(url_for("accounts.sessions_page"))


@bp.route("/account/sessions/end-others", methods=["POST"])
@requires("signed_in")
def end_other_sessions():
    """Sign out every other session, and forget the browsers remembered for two-factor sign-in."""
    ended = usersessions.revoke_others(current_user._get_current_object(), usersessions.current_id(session))
    flash(
        ngettext("%(num)s other session is signed out.", "%(num)s other sessions are signed out.", ended),
        "success",
    )
    return redirect(url_for("accounts.sessions_page"), code=303 if request.method == "POST" else 302)
