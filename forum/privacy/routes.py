"""Privacy pages: the notice and accepting it, the data export, deleting the account, the request log."""

import json

from flask import Response, flash, redirect, render_template, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from forum.accounts import consent
from forum.accounts.models import find_by_email
from forum.accounts.signon import next_target
from forum.accounts.twofactor_routes import recent_second_factor
from forum.extensions import db
from forum.forms import attach_error
from forum.policy import requires
from forum.privacy import bp
from forum.privacy.erasure import erase, erase_on_request
from forum.privacy.export import personal_data
from forum.privacy.forms import DeleteAccountForm, ErasureRequestForm
from forum.privacy.models import DataRequest
from forum.privacy.notice import configured_text
from forum.rules import RuleViolation
from forum.security_log import security_event

PAGE_SIZE = 50


@bp.app_template_global()
def privacy_consent_due():
    """Whether the signed-in reader has yet to accept the privacy notice in force (base.html's banner)."""
    return consent.due(current_user)


@bp.app_template_global()
def privacy_notice_version():
    """The version of the privacy notice in force."""
    return consent.current_version()


@bp.app_template_global()
def privacy_notice_text():
    """The configured notice in the reader's language, or None for the default text."""
    return configured_text(str(get_locale()))


@bp.route("/privacy")
@requires("anyone")
def notice():
    """The privacy notice, in the reader's language, with its version."""
    return render_template("privacy/notice.html", version=consent.current_version())


@bp.route("/privacy/consent", methods=["POST"])
@requires("signed_in")
def accept():
    """The signed-in user accepts the notice in force (the banner's form)."""
    if consent.accept(current_user._get_current_object()):
        flash(_("Thank you: your acceptance of the privacy notice is recorded."), "success")
    return redirect(next_target())


@bp.route("/account/data")
@requires("signed_in")
def data_page():
    """The user's personal data: download it all, or delete the account."""
    return render_template(
        "privacy/data.html", form=DeleteAccountForm(), history=consent.history(current_user)
    )


@bp.route("/account/data/export.json")
@requires("signed_in")
def export():
    """Everything the forum holds about the signed-in user, as a JSON download; the request is logged."""
    user = current_user._get_current_object()
    body = json.dumps(personal_data(user), ensure_ascii=False, indent=1)
    db.session.add(DataRequest(user_id=user.id, kind="export"))
    db.session.commit()
    security_event("privacy.exported", user_id=user.id)
    headers = {
        "Content-Disposition": 'attachment; filename="dialogue-forum-my-data.json"',
        "Cache-Control": "no-store",
    }
    return Response(body, mimetype="application/json", headers=headers)


@bp.route("/account/delete", methods=["POST"])
@requires("signed_in")
def delete_account():
    """Delete the signed-in user's account, after the password; signed out everywhere."""
    user = current_user._get_current_object()
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            erase(user, form.password.data, form.remove_writing.data)
        except RuleViolation as error:
            attach_error(form, error)
        else:
            logout_user()
            session.clear()
            if form.remove_writing.data:
                flash(_("Your account and what you wrote are deleted."), "info")
            else:
                flash(_("Your account is deleted. What you wrote stays under “Former participant”."), "info")
            return redirect(url_for("main.index"))
    page = render_template("privacy/data.html", form=form, history=consent.history(user))
    return page, 422


@bp.route("/admin/data-requests")
@requires("administer")
def requests_log():
    """The secretariat's log of exports and deletions, newest first, and the form to process a request."""
    return _log_page(ErasureRequestForm())


def _log_page(form, status=200):
    """The request log with the deletion form."""
    page = db.paginate(
        db.select(DataRequest).order_by(DataRequest.id.desc()), per_page=PAGE_SIZE, error_out=False
    )
    return render_template("privacy/requests.html", page=page, form=form), status


@bp.route("/admin/data-requests/erase", methods=["POST"])
@requires("administer")
@recent_second_factor
def erase_request():
    """Delete an account at its owner's request received by mail or letter (and what they wrote, if asked)."""
    form = ErasureRequestForm()
    if form.validate_on_submit():
        user = find_by_email(form.email.data)
        try:
            if user is None:
                raise RuleViolation(_("No account has this email address."), field="email")
            erase_on_request(current_user._get_current_object(), user, form.remove_writing.data)
        except RuleViolation as error:
            attach_error(form, error)
        else:
            flash(_("The account is deleted."), "success")
            return redirect(url_for("privacy.requests_log"), code=303)
    return _log_page(form, 422)
