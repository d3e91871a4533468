"""Account pages: register, sign in and out, profile, password, language."""

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from forum import throttle
from forum.accounts import bp, invitations, services
from forum.accounts.forms import LoginForm, PasswordForm, ProfileForm, RegisterForm
from forum.accounts.models import User, parse_user_id
from forum.extensions import db, login_manager
from forum.forms import attach_error
from forum.i18n import local_deadline
from forum.rules import RuleViolation, Throttled
from forum.security import is_safe_next


@login_manager.user_loader
def load_user(user_id):
    """Load the session's user; a stale session token (signed out elsewhere) or a suspension: nobody."""
    claim = parse_user_id(user_id)
    user = db.session.get(User, claim[0]) if claim else None
    if user is None or user.session_token != claim[1] or user.is_suspended:
        return None
    return user


login_manager.login_view = "accounts.login"
login_manager.login_message = None


def start_session(user):
    """A fresh session for `user` (no fixation), keeping only the chosen language."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    login_user(user)


def _redirect_next(default="main.index"):
    """Follow a same-site `next`, else go to `default`."""
    target = request.args.get("next") or request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for(default))


@bp.route("/register", methods=["GET", "POST"])
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
        data = dict(form.data, locale=session.get("locale"))
        try:
            user = services.register(data, invitation_token=token or None)
        except RuleViolation as error:
            attach_error(form, error)
        else:
            start_session(user)
            return redirect(url_for("accounts.profile", user_id=user.id, welcome=1))
    status = 422 if form.is_submitted() else 200
    deadline = local_deadline("REGISTRATION_DEADLINE")
    return render_template(
        "accounts/register.html", form=form, invitation=invitation, deadline=deadline
    ), status


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign-in form, throttled per account and per address."""
    form = LoginForm()
    headers = {}
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data, request.remote_addr)
        except Throttled as error:
            form.form_errors.append(error.message)
            headers["Retry-After"] = str(error.retry_after)
            return render_template("accounts/login.html", form=form), 429, headers
        except RuleViolation as error:
            attach_error(form, error)
        else:
            start_session(user)
            return _redirect_next()
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/login.html", form=form), status, headers


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out of every session of this account."""
    services.end_all_sessions(current_user._get_current_object(), "sign_out")
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/users/<int:user_id>")
def profile(user_id):
    """A user's profile page with their stakeholder badge."""
    user = db.session.get(User, user_id) or abort(404)
    return render_template("accounts/profile.html", user=user, welcome=request.args.get("welcome"))


@bp.route("/u/<handle>")
def by_handle(handle):
    """An @mention link: the profile of the user with this handle."""
    user = db.session.scalar(db.select(User).where(User.handle == handle.lower())) or abort(404)
    return redirect(url_for("accounts.profile", user_id=user.id))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def edit_profile():
    """The signed-in user edits their own name and stakeholder identity."""
    user = current_user._get_current_object()
    form = ProfileForm(obj=user)
    if form.validate_on_submit():
        try:
            services.update_profile(user, form.data)
        except RuleViolation as error:
            attach_error(form, error)
        else:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("accounts.profile", user_id=user.id))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/edit_profile.html", form=form), status


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
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
            start_session(user)
            flash(_("Your password is changed. Other sessions have been signed out."), "success")
            return redirect(url_for("accounts.profile", user_id=user.id))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/password.html", form=form), status


@bp.route("/language", methods=["POST"])
def set_language():
    """The language switcher: remembered in the session and, when signed in, on the account."""
    language = request.form.get("language", "")
    if language not in current_app.config["LANGUAGES"]:
        abort(400)
    session["locale"] = language
    if current_user.is_authenticated:
        services.set_locale(current_user._get_current_object(), language)
    return _redirect_next()
