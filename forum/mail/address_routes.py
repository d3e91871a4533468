"""Pages of an email change: asking for it, and the link that confirms the new address."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.forms import attach_error
from forum.mail import address, bp
from forum.mail.forms import ChangeEmailForm
from forum.mail.routes import link_problem
from forum.mail.tokens import LinkProblem
from forum.policy import requires
from forum.rules import RuleViolation, Throttled


@bp.route("/account/email", methods=["GET", "POST"])
@requires("signed_in")
def change_email():
    """Ask to move the account to a new address: nothing changes until the new address confirms it."""
    user = current_user._get_current_object()
    form, status = ChangeEmailForm(), 200
    if form.validate_on_submit():
        try:
            address.request_change(user, form.email.data, form.password.data)
        except Throttled as error:
            form.form_errors.append(error.message)
            status = 429
        except RuleViolation as error:
            attach_error(form, error)
            status = 422
        else:
            flash(
                _(
                    "Open the link we sent to %(email)s to confirm it. "
                    "Until then your address stays %(old)s.",
                    email=form.email.data,
                    old=user.email,
                ),
                "info",
            )
            return redirect(url_for("accounts.profile", user_id=user.id))
    elif form.is_submitted():
        status = 422
    return render_template("accounts/email.html", form=form), status


@bp.route("/account/email/confirm/<token>")
@requires("anyone")
def confirm_email_change(token):
    """The link mailed to the new address: the account moves there."""
    try:
        user = address.confirm_change(token)
    except LinkProblem as problem:
        return link_problem(problem, "confirm")
    return render_template("mail/pages/confirmed.html", user=user)
