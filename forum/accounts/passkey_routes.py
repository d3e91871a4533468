"""Security key pages: adding and removing keys, and a key's answer instead of a code.

The challenges are fetched by static/js/passkeys.js as JSON; the key's answer then comes back in an
ordinary form post, answered as the code forms are (a redirect, or the page with the error, 422).
"""

from flask import Response, flash, jsonify, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from forum.accounts import bp, passkeys, twofactor, twofactor_flow
from forum.accounts.forms import AddKeyForm, CodeForm, PasskeyForm
from forum.accounts.signon import next_target, signed_in
from forum.accounts.twofactor_routes import checked, confirm_page, login_code_page, status_page
from forum.policy import requires
from forum.rules import RuleViolation
from forum.security import is_safe_next


def _options(text):
    """A ceremony's options as a JSON response that no cache keeps."""
    return Response(text, mimetype="application/json", headers={"Cache-Control": "no-store"})


def _no_keys():
    """The JSON answer when there is nobody with keys to ask for."""
    return jsonify(ok=False, message=_("There is no security key to use here.")), 400


@bp.route("/login/passkey/options", methods=["POST"])
@requires("anyone")
def passkey_options():
    """A sign-in challenge for a security key: the half-signed-in visitor's, or a signed-in user's proof."""
    if current_user.is_authenticated:
        user = current_user._get_current_object()
    else:
        user = twofactor_flow.pending_user(session)
    if user is None or not passkeys.has_keys(user):
        return _no_keys()
    return _options(passkeys.sign_in_options(user))


@bp.route("/login/passkey", methods=["POST"])
@requires("anyone")
def login_passkey():
    """The second step of signing in with a security key instead of a code."""
    user = twofactor_flow.pending_user(session)
    if user is None:
        return render_template("accounts/login_code_expired.html"), 410
    form, status = PasskeyForm(prefix="key"), 422
    if form.validate_on_submit():
        method, status = checked(form, lambda: passkeys.verify(user, form.credential.data))
        if method:
            target = twofactor_flow.pending_next(session)
            target = target if is_safe_next(target) else url_for("main.index")
            return signed_in(user, target, method, form.remember.data)
    return login_code_page(user, CodeForm(formdata=None), form, status)


@bp.route("/account/two-factor/confirm/passkey", methods=["POST"])
@requires("signed_in")
def confirm_with_passkey():
    """A fresh proof with a security key instead of a code."""
    user = current_user._get_current_object()
    target = next_target("accounts.two_factor")
    form, status = PasskeyForm(prefix="key"), 422
    if form.validate_on_submit():
        method, status = checked(form, lambda: passkeys.verify(user, form.credential.data))
        if method:
            twofactor.record_proof(session, method)
            return redirect(target)
    return confirm_page(user, CodeForm(formdata=None), form, target, status)


def _may_add(user):
    """Whether this session may add a key: two-factor sign-in is on and was proven in the last minutes."""
    return twofactor.enrolled(user) and twofactor.recently_proven(session)


@bp.route("/account/passkeys/options", methods=["POST"])
@requires("signed_in")
def passkey_registration_options():
    """A registration challenge for a new security key (after a recent code or key)."""
    user = current_user._get_current_object()
    if not _may_add(user):
        message = _("Confirm it is you with a code first, then add the key.")
        return jsonify(ok=False, message=message), 409
    return _options(passkeys.registration_options(user))


@bp.route("/account/passkeys", methods=["POST"])
@requires("signed_in")
def add_passkey():
    """Add a security key under a name, with its answer to the registration challenge."""
    user = current_user._get_current_object()
    if not _may_add(user):
        target = url_for("accounts.two_factor")
        return redirect(url_for("accounts.confirm_second_factor", next=target))
    form, status = AddKeyForm(prefix="key"), 422
    if form.validate_on_submit():
        key, status = checked(form, lambda: passkeys.register(user, form.name.data, form.credential.data))
        if key:
            flash(_("The key “%(name)s” is added.", name=key.name), "success")
            return redirect(url_for("accounts.two_factor"), code=303)
    return status_page(user, key_form=form, status=status)


@bp.route("/account/passkeys/<int:key_id>/delete", methods=["POST"])
@requires("signed_in")
def remove_passkey(key_id):
    """Remove one of one's own security keys."""
    form = FlaskForm()
    if not form.validate_on_submit():
        return redirect(url_for("accounts.two_factor"), code=303)
    try:
        passkeys.remove(current_user._get_current_object(), key_id)
    except RuleViolation as error:
        flash(error.message, "error")
    else:
        flash(_("The key is removed."), "success")
    return redirect(url_for("accounts.two_factor"), code=303)
