"""Token pages: one's own tokens in the account area (create, shown once; list; revoke), all for staff."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.api import pages, tokens
from forum.api.forms import TokenForm
from forum.api.models import SCOPES, ApiToken
from forum.extensions import db
from forum.forms import attach_error
from forum.policy import requires
from forum.rules import RuleViolation


@pages.route("/account/api-tokens", methods=["GET", "POST"])
@requires("signed_in")
def own_tokens():
    """The user's tokens; a new one is shown on this page once, and never again."""
    form = TokenForm()
    created = None
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            token, created = tokens.create(user, form.name.data, form.scope.data)
        except RuleViolation as error:
            attach_error(form, error)
        else:
            form = TokenForm(formdata=None)
    status = 422 if form.errors or form.form_errors else 200
    page = render_template(
        "api/tokens.html", form=form, created=created, rows=tokens.of_user(current_user), scopes=SCOPES
    )
    # The new token is in this page only: no cache may keep it.
    return page, status, {"Cache-Control": "no-store"}


@pages.route("/account/api-tokens/<int:token_id>/revoke", methods=["POST"])
@requires("signed_in")
def revoke_own(token_id):
    """Revoke one of one's own tokens."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    tokens.revoke(current_user._get_current_object(), token)
    flash(_("The token is revoked."), "success")
    return redirect(url_for("api_tokens.own_tokens"), 303)


@pages.route("/admin/api-tokens")
@requires("administer")
def all_tokens():
    """Every user's tokens, for the secretariat."""
    return render_template("api/all_tokens.html", rows=tokens.every(), scopes=SCOPES)


@pages.route("/admin/api-tokens/<int:token_id>/revoke", methods=["POST"])
@requires("administer")
def revoke_any(token_id):
    """The secretariat revokes anyone's token (audited)."""
    token = db.session.get(ApiToken, token_id) or abort(404)
    tokens.revoke(current_user._get_current_object(), token)
    flash(_("The token is revoked."), "success")
    return redirect(url_for("api_tokens.all_tokens"), 303)
