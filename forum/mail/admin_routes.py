"""The secretariat's view of the outbox: mail that failed and mail still waiting, with a retry button."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.mail import bp, services
from forum.mail.models import MAIL_STATES
from forum.policy import requires
from forum.rules import RuleViolation


@bp.route("/admin/mail")
@requires("administer")
def outbox():
    """Failed and waiting mail (admins only)."""
    failed, waiting = services.waiting_and_failed()
    return render_template("mail/pages/outbox.html", failed=failed, waiting=waiting, states=MAIL_STATES)


@bp.route("/admin/mail/<int:row_id>/retry", methods=["POST"])
@requires("administer")
def retry(row_id):
    """Send a mail again now (admins only); audited."""
    try:
        services.retry(current_user, row_id)
    except RuleViolation as error:
        flash(error.message, "error")
    else:
        flash(_("The mail will be sent again."), "success")
    return redirect(url_for("mail.outbox"), code=303)
