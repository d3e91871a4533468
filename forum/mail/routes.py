"""Pages that mail links open: confirm an address, reset a password, unsubscribe; mail preferences."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.extensions import csrf
from forum.forms import attach_error, form_page
from forum.mail import bp, services
from forum.mail.forms import ForgotPasswordForm, ResetPasswordForm
from forum.mail.models import DIGEST_MODES
from forum.mail.tokens import LinkProblem, unsubscribe_target
from forum.policy import requires
from forum.rules import RuleViolation, Throttled


@bp.app_template_global()
def digest_modes():
    """The activity mail choices, labelled in the reader's language, for the profile page."""
    return DIGEST_MODES


def link_problem(problem, purpose):
    """The page for an expired, used or tampered link, with a way to ask for a new one."""
    form = ForgotPasswordForm(formdata=None) if purpose == "reset" else None
    page = render_template("mail/pages/link_problem.html", reason=problem.reason, purpose=purpose, form=form)
    return page, problem.status


@bp.route("/confirm-email/<token>")
@requires("anyone")
def confirm(token):
    """Follow the confirmation link from the registration mail."""
    try:
        user = services.confirm_address(token)
    except LinkProblem as problem:
        return link_problem(problem, "confirm")
    return render_template("mail/pages/confirmed.html", user=user)


@bp.route("/confirm-email/resend", methods=["POST"])
@requires("signed_in")
def resend_confirmation():
    """The signed-in user asks for a new confirmation link."""
    try:
        services.resend_confirmation(current_user._get_current_object())
    except RuleViolation as error:
        flash(error.message, "error")
    else:
        flash(_("A new confirmation link is on its way to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("accounts.profile", user_id=current_user.id))


@bp.route("/forgot-password", methods=["GET", "POST"])
@requires("anyone")
def forgot_password():
    """Ask for a reset link; the answer is the same whether or not the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            services.request_reset(form.email.data, request.remote_addr)
        except Throttled as error:
            form.form_errors.append(error.message)
            page = render_template("mail/pages/forgot_password.html", form=form)
            return page, 429, {"Retry-After": str(error.retry_after)}
        return render_template("mail/pages/reset_sent.html", email=form.email.data)
    return form_page("mail/pages/forgot_password.html", form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@requires("anyone")
def reset_password(token):
    """Choose a new password from a reset link; then sign in with it."""
    try:
        services.check_reset_link(token)
    except LinkProblem as problem:
        return link_problem(problem, "reset")
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.new_password.data)
        except LinkProblem as problem:
            return link_problem(problem, "reset")
        except RuleViolation as error:
            attach_error(form, error)
        else:
            flash(_("Your password is changed. Sign in with it."), "success")
            return redirect(url_for("accounts.login"))
    return form_page("mail/pages/reset_password.html", form)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@requires("anyone")
# CSRF-exempt on purpose: the signed token is the authority, not the session (the reader need not be
# signed in), and RFC 8058 one-click clients POST "List-Unsubscribe=One-Click" with no form token.
# A forged cross-site POST could only do what anyone holding the link can already do.
@csrf.exempt
def unsubscribe(token):
    """GET shows one button (link scanners that follow links unsubscribe nobody); POST unsubscribes."""
    try:
        user = services.unsubscribe(token) if request.method == "POST" else unsubscribe_target(token)[0]
    except LinkProblem as problem:
        return link_problem(problem, "unsubscribe")
    done = request.method == "POST"
    return render_template("mail/pages/unsubscribe.html", user=user, done=done, token=token)


@bp.route("/account/mail", methods=["POST"])
@requires("signed_in")
def preferences():
    """The signed-in user chooses how activity mail arrives."""
    try:
        services.set_digest_mode(current_user._get_current_object(), request.form.get("digest_mode", ""))
    except RuleViolation as error:
        flash(error.message, "error")
    else:
        flash(_("Your mail preferences are saved."), "success")
    return redirect(url_for("accounts.profile", user_id=current_user.id) + "#mail")
