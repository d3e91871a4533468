"""Two-factor pages: the code step of signing in, enrolment, recovery codes, turning it off, fresh proof."""

from functools import wraps
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from forum.accounts import bp, passkeys, twofactor, twofactor_flow
from forum.accounts.forms import AddKeyForm, CodeForm, DisableTwoFactorForm, EnrolForm, PasskeyForm
from forum.accounts.signon import next_target, signed_in
from forum.forms import attach_error
from forum.policy import requires
from forum.rules import RuleViolation, Throttled
from forum.security import is_safe_next


def checked(form, action):
    """Run `action()` for a submitted form: (result, None), or (None, HTTP status) with the error attached."""
    try:
        return action(), None
    except Throttled as error:
        form.code.errors = [*form.code.errors, error.message]
        return None, 429
    except RuleViolation as error:
        attach_error(form, error)
        return None, 422


def left_notice(method, user):
    """After a recovery code, say how many are left."""
    if method == "recovery":
        left = twofactor.remaining_codes(user)
        flash(
            ngettext(
                "You used a recovery code: %(num)s is left.",
                "You used a recovery code: %(num)s are left.",
                left,
            ),
            "info",
        )


@bp.route("/login/code", methods=["GET", "POST"])
@requires("anyone")
def login_code():
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    user = twofactor_flow.pending_user(session)
    if user is None:
        # No password given here, or more than five minutes ago, or the account signed out since.
        return render_template("accounts/login_code_expired.html"), 410
    form, status = CodeForm(), 200
    if form.validate_on_submit():
        method, status = checked(form, lambda: twofactor.verify(user, form.code.data))
        if method:
            target = twofactor_flow.pending_next(session)
            response = signed_in(
                user, target if is_safe_next(target) else url_for("main.index"), method, form.remember.data
            )
            left_notice(method, user)
            return response
    elif form.is_submitted():
        status = 422
    return login_code_page(user, form, PasskeyForm(prefix="key"), status)


def login_code_page(user, form, key_form, status):
    """The code step's page: the code form, and the security key form when the user has keys."""
    page = render_template(
        "accounts/login_code.html", form=form, key_form=key_form, has_keys=passkeys.has_keys(user)
    )
    return page, status, retry_header(status)


def retry_header(status):
    """The Retry-After header of a throttled answer."""
    return {"Retry-After": "60"} if status == 429 else {}


@bp.route("/account/two-factor", methods=["GET", "POST"])
@requires("signed_in")
def two_factor():
    """Two-factor sign-in: set it up (QR code, then a first code), or see it and manage it."""
    user = current_user._get_current_object()
    target = next_target("accounts.two_factor")
    if twofactor.enrolled(user):
        if not session.get(twofactor.METHOD):
            # Turned on from another session: this one proves it has the device too.
            return redirect(url_for("accounts.confirm_second_factor", next=target))
        return status_page(user)
    form, status = EnrolForm(), 200
    row = twofactor.enrolment(user)
    if form.validate_on_submit():
        codes, status = checked(form, lambda: twofactor.confirm_enrolment(user, form.code.data))
        if codes:
            twofactor.record_proof(session, "totp")
            return render_template("accounts/recovery_codes.html", codes=codes, target=target, new=True)
    elif form.is_submitted():
        status = 422
    uri = twofactor.provisioning_uri(user, row.secret)
    page = render_template(
        "accounts/two_factor_setup.html",
        form=form,
        qr=twofactor.qr_svg(uri, _("QR code to add this account to an authenticator app")),
        secret=twofactor.grouped(row.secret),
        required=twofactor.required_for(user),
        target=target,
    )
    return page, status


def status_page(user, codes_form=None, disable_form=None, key_form=None, status=200):
    """The page of an enrolled user: security keys, recovery codes left, new ones, turning it off."""
    page = render_template(
        "accounts/two_factor.html",
        credential=twofactor.credential(user),
        left=twofactor.remaining_codes(user),
        required=twofactor.required_for(user),
        keys=passkeys.keys(user),
        may_add_key=twofactor.recently_proven(session),
        key_form=key_form or AddKeyForm(prefix="key"),
        codes_form=codes_form or CodeForm(prefix="codes"),
        disable_form=disable_form or DisableTwoFactorForm(prefix="off"),
    )
    return page, status, retry_header(status)


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@requires("signed_in")
def new_recovery_codes():
    """Replace the recovery codes, after a code."""
    user = current_user._get_current_object()
    if not twofactor.enrolled(user):
        return redirect(url_for("accounts.two_factor"))
    form, status = CodeForm(prefix="codes"), 422
    if form.validate_on_submit():
        codes, status = checked(form, lambda: twofactor.new_recovery_codes(user, form.code.data))
        if codes:
            return render_template("accounts/recovery_codes.html", codes=codes, target=None, new=False)
    return status_page(user, codes_form=form, status=status)


@bp.route("/account/two-factor/disable", methods=["POST"])
@requires("signed_in")
def disable_two_factor():
    """Turn two-factor sign-in off (participants only), with the password and a code."""
    user = current_user._get_current_object()
    if not twofactor.enrolled(user):
        return redirect(url_for("accounts.two_factor"))
    form, status = DisableTwoFactorForm(prefix="off"), 422
    if form.validate_on_submit():
        done, status = checked(
            form, lambda: twofactor.disable(user, form.password.data, form.code.data) or True
        )
        if done:
            session.pop(twofactor.METHOD, None)
            session.pop(twofactor.PROVEN_AT, None)
            flash(_("Two-factor sign-in is off."), "success")
            return redirect(url_for("accounts.two_factor"))
    return status_page(user, disable_form=form, status=status)


@bp.route("/account/two-factor/confirm", methods=["GET", "POST"])
@requires("signed_in")
def confirm_second_factor():
    """Prove again with a code: before a sensitive staff action, or in a session that has not yet."""
    user = current_user._get_current_object()
    target = next_target("accounts.two_factor")
    if not twofactor.enrolled(user):
        return redirect(url_for("accounts.two_factor", next=target))
    form, status = CodeForm(), 200
    if form.validate_on_submit():
        method, status = checked(form, lambda: twofactor.verify(user, form.code.data))
        if method:
            twofactor.record_proof(session, method)
            left_notice(method, user)
            return redirect(target)
    elif form.is_submitted():
        status = 422
    return confirm_page(user, form, PasskeyForm(prefix="key"), target, status)


def confirm_page(user, form, key_form, target, status):
    """The fresh proof's page: the code form, and the security key form when the user has keys."""
    page = render_template(
        "accounts/confirm_code.html",
        form=form,
        key_form=key_form,
        has_keys=passkeys.has_keys(user),
        target=target,
    )
    return page, status, retry_header(status)


def _back():
    """Where to return after a fresh proof: this page for a GET, else the page the form was on."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    referrer = urlsplit(request.referrer or "")
    back = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return back if referrer.netloc == request.host and is_safe_next(back) else url_for("main.index")


def recent_second_factor(view):
    """Guard a sensitive staff action: staff must have typed a code within TWO_FACTOR_FRESH_MINUTES.

    Otherwise nothing is done; they are asked for a code, then return to the page to do it again.
    """

    @wraps(view)
    def wrapped(*args, **kwargs):
        """Ask for a code first when the last one is too old."""
        user = current_user
        if user.is_authenticated and twofactor.required_for(user) and not twofactor.recently_proven(session):
            flash(_("Confirm it is you with a code from your authenticator app, then try again."), "info")
            return redirect(url_for("accounts.confirm_second_factor", next=_back()))
        return view(*args, **kwargs)

    return wrapped
