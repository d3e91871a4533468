"""The participant's side of a change of verified identity: withdrawing a request (editing is /account)."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.accounts import bp, editing
from forum.policy import requires
from forum.rules import RuleViolation


@bp.route("/account/identity-change/withdraw", methods=["POST"])
@requires("signed_in")
def withdraw_identity_change():
    """Withdraw one's pending change of identity; the verified identity stays."""
    try:
        editing.withdraw_change(current_user._get_current_object())
    except RuleViolation as error:
        flash(error.message, "error")
    else:
        flash(_("Your request is withdrawn; your identity stays as the secretariat verified it."), "success")
    return redirect(url_for("accounts.edit_profile"), code=303)
