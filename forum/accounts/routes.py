"""Account pages: register, sign in and out, profile, password, language."""

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError

from forum import throttle
from forum.accounts import (
    bp,
    devices,
    editing,
    invitations,
    services,
    sessions,
    signin,
    twofactor,
    usersessions,
)
from forum.accounts.forms import LoginForm, PasswordForm, ProfileForm, RegisterForm
from forum.accounts.models import User, parse_user_id
from forum.accounts.signon import after_password, start_session
from forum.extensions import csrf, db, login_manager
from forum.forms import attach_error, form_page
from forum.i18n import chosen_language, local_deadline, remember_language
from forum.permissions import STAFF_ROLES
from forum.policy import requires
from forum.rules import RuleViolation, Throttled
from forum.security import is_safe_next, sent_from_our_pages
from forum.security_log import security_event


@bp.app_template_global()
def registration_open():
    """Whether pages offer registration: a link to a form that answers 403 helps nobody."""
    return services.registration_open()


@login_manager.user_loader
def load_user(user_id):
    """Load the session's user; an expired or revoked session, a stale session token (signed out elsewhere)
    or a suspension: nobody; staff whose session gave no second factor, without their staff rights.
    Sockets, which keep the session of their handshake, are refused the same way at every event.
    """
    claim = parse_user_id(user_id)
    if claim is None or sessions.expiry(session):
        return None
    user = usersessions.open_user(claim[0], usersessions.current_id(session))
    if user is None or user.session_token != claim[1] or user.is_suspended:
        return None
    if twofactor.required_for(user) and not session.get(twofactor.METHOD):
        user.second_factor_missing = True
    return user


login_manager.login_view = "accounts.login"
login_manager.login_message = None

EXPIRED = {
    "idle": _l("You were signed out after a long time without activity. Sign in again."),
    "lifetime": _l("Your session has reached its time limit. Sign in again."),
    "undated": _l("Your session has ended. Sign in again."),
}


@bp.before_app_request
def end_expired_session():
    """Sign out a session past its idle timeout or lifetime, at its first request since; else note the use."""
    if request.endpoint == "static" or "_user_id" not in session:
        return
    reason = sessions.expiry(session)
    if reason is None:
        g.session_seen_before = sessions.touch(session)
        if session[sessions.SEEN] != g.session_seen_before and usersessions.current_id(session):
            usersessions.seen(usersessions.current_id(session), request.remote_addr)
        return
    claim = parse_user_id(session["_user_id"])
    sessions.forget(session)
    user_id = claim[0] if claim else None
    security_event("session.expired", user_id=user_id, reason=reason, ip=request.remote_addr)
    flash(EXPIRED[reason], "info")


def _redirect_next(default="main.index"):
    """Follow a same-site `next`, else go to `default`."""
    target = request.args.get("next") or request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for(default))


@bp.route("/register", methods=["GET", "POST"])
@requires("anyone")
def register():
    """Registration form; closed after the deadline unless the visitor holds an invitation."""
    if current_user.is_authenticated:
        return redirect(url_for("accounts.profile", user_id=current_user.id))
    token = request.args.get("invite", "")
    invitation = invitations.find(token) if token else None
    if token and invitation is None:
        return render_template("accounts/invitation_invalid.html"), 410
    if invitation is None and not services.registration_open():
        deadline = local_deadline("REGISTRATION_DEADLINE")
        return render_template("accounts/register_closed.html", deadline=deadline), 403
    form = RegisterForm()
    if invitation and not form.is_submitted():
        form.email.data = invitation.email
    if form.is_submitted():
        wait = throttle.retry_after("REGISTER_LIMIT_PER_IP", request.remote_addr)
        if wait:
            form.form_errors.append(
                _("Too many registrations from your network. Try again in %(s)s seconds.", s=wait)
            )
            deadline = local_deadline("REGISTRATION_DEADLINE")
            page = render_template(
                "accounts/register.html", form=form, invitation=invitation, deadline=deadline
            )
            return page, 429, {"Retry-After": str(wait)}
        throttle.record("REGISTER_LIMIT_PER_IP", request.remote_addr)
    if form.validate_on_submit():
        data = dict(form.data, locale=chosen_language())
        try:
            services.register(data, invitation_token=token or None, ip=request.remote_addr)
        except RuleViolation as error:
            attach_error(form, error)
        else:
            # The same answer whether or not the address already had an account: see the mail.
            return redirect(url_for("accounts.registered"))
    deadline = local_deadline("REGISTRATION_DEADLINE")
    return form_page("accounts/register.html", form, invitation=invitation, deadline=deadline)


@bp.route("/register/sent")
def registered():
    """After registering: check your mail (whether the address was new or already had an account)."""
    return render_template("accounts/registered.html")


@bp.route("/login", methods=["GET", "POST"])
@requires("anyone")
def login():
    """Sign-in form, throttled per recognised browser, per account for the others, and per address."""
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = signin.authenticate(
                form.email.data, form.password.data, request.remote_addr, devices.presented(request)
            )
        except Throttled as error:
            form.form_errors.append(error.message)
            page = render_template("accounts/login.html", form=form)
            return page, 429, {"Retry-After": str(error.retry_after)}
        except RuleViolation as error:
            attach_error(form, error)
        else:
            return after_password(user)
    return form_page("accounts/login.html", form)


@bp.route("/logout", methods=["POST"])
@requires("signed_in")
def logout():
    """Sign out of every session of this account."""
    user = current_user._get_current_object()
    services.end_all_sessions(user, "sign_out")
    security_event("session.signed_out", user_id=user.id, ip=request.remote_addr)
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/users/<int:user_id>")
def profile(user_id):
    """A user's profile page with their stakeholder badge."""
    user = db.session.get(User, user_id) or abort(404)
    return render_template("accounts/profile.html", user=user, own_session=_own_session(user))


def _own_session(user):
    """Staff looking at their own profile see their session's age and limits; others nothing."""
    if user != current_user or user.role not in STAFF_ROLES or "session_seen_before" not in g:
        return None
    age = sessions.age(session, g.session_seen_before)
    return {**age, "idle": format_timedelta(age["idle"], threshold=1)}


@bp.route("/u/<handle>")
def by_handle(handle):
    """An @mention link: the profile of the user with this handle."""
    user = db.session.scalar(db.select(User).where(User.handle == handle.lower())) or abort(404)
    return redirect(url_for("accounts.profile", user_id=user.id))


@bp.route("/account", methods=["GET", "POST"])
@requires("signed_in")
def edit_profile():
    """The signed-in user edits their own name and stakeholder identity."""
    user = current_user._get_current_object()
    form = ProfileForm(data=editing.form_values(user))
    if form.validate_on_submit():
        try:
            change = editing.update_profile(user, form.data)
        except RuleViolation as error:
            attach_error(form, error)
        else:
            if change is None:
                flash(_("Your profile is saved."), "success")
                return redirect(url_for("accounts.profile", user_id=user.id))
            flash(_("Your profile is saved; the secretariat will review the change of identity."), "success")
            return redirect(url_for("accounts.edit_profile"), code=303)
    return form_page(
        "accounts/edit_profile.html",
        form,
        change=editing.latest_change(user),
        reviewed=editing.reviews_identity(user),
    )


@bp.route("/account/password", methods=["GET", "POST"])
@requires("signed_in")
def change_password():
    """Change password; every other session of the account ends."""
    user = current_user._get_current_object()
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(user, form.current_password.data, form.new_password.data)
        except RuleViolation as error:
            attach_error(form, error)
        else:
            # The new session keeps the second factor this one gave: the password is not a factor of it.
            kept = {key: session[key] for key in (twofactor.METHOD, twofactor.PROVEN_AT) if key in session}
            start_session(user)
            session.update(kept)
            flash(_("Your password is changed. Other sessions have been signed out."), "success")
            return redirect(url_for("accounts.profile", user_id=user.id))
    return form_page("accounts/password.html", form)


def _from_our_pages():
    """The switcher's proof that our page sent it: the form's token when signed in, else the browser's word.

    An anonymous page carries no token (it would need a session cookie, and the page could not be shared),
    so there the browser's same-origin headers stand in for it; the request changes only a preference.
    """
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if current_user.is_authenticated:
        csrf.protect()
    elif not sent_from_our_pages():
        security_event("language.refused", reason="not sent from our pages", ip=request.remote_addr)
        raise CSRFError("The language form was not sent from one of our pages.")


@bp.route("/language", methods=["POST"])
@requires("anyone")
@csrf.exempt
def set_language():
    """The language switcher: a preference cookie for everyone and, when signed in, the account's language."""
    _from_our_pages()
    language = request.form.get("language", "")
    if language not in current_app.config["LANGUAGES"]:
        abort(400)
    if current_user.is_authenticated:
        services.set_locale(current_user._get_current_object(), language)
    return remember_language(_redirect_next(), language)
