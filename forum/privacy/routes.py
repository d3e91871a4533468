"""Privacy pages: the notice, accepting a new version of it."""

from flask import flash, redirect, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.accounts import consent
from forum.accounts.signon import next_target
from forum.privacy import bp
from forum.privacy.notice import configured_text


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
def notice():
    """The privacy notice, in the reader's language, with its version."""
    return render_template("privacy/notice.html", version=consent.current_version())


@bp.route("/privacy/consent", methods=["POST"])
@login_required
def accept():
    """The signed-in user accepts the notice in force (the banner's form)."""
    if consent.accept(current_user._get_current_object()):
        flash(_("Thank you: your acceptance of the privacy notice is recorded."), "success")
    return redirect(next_target())
