"""Secretariat pages."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.accounts import editing
from forum.accounts import invitations as invitation_rules
from forum.accounts import services as accounts
from forum.accounts.models import STAKEHOLDER_GROUPS, STATUS_LABELS, Invitation, User
from forum.accounts.twofactor_routes import recent_second_factor
from forum.admin import bp
from forum.admin.forms import DecisionForm, InvitationForm, RoleForm, SettingsForm, ThemeForm, WordForm
from forum.admin.services import PAGE_SIZE, registrations_query, withdraw_verification
from forum.extensions import db
from forum.forms import attach_error, form_page
from forum.i18n import country_groups
from forum.moderation import screening
from forum.moderation import settings as moderation_settings_rules
from forum.moderation.models import WORD_ACTIONS
from forum.moderation.settings import SETTINGS
from forum.permissions import ROLE_LABELS
from forum.rules import RuleViolation
from forum.states import AccountStatus
from forum.threads import themes as theme_rules
from forum.threads.models import Theme


@bp.route("/")
def home():
    """The secretariat's start page is the registration queue."""
    return redirect(url_for("admin.registrations"))


@bp.route("/registrations")
def registrations():
    """Registrations with filters: status, stakeholder group, country, text."""
    filters = {
        "status": request.args.get("status", AccountStatus.PENDING),
        "group": request.args.get("group", ""),
        "country": request.args.get("country", ""),
        "text": request.args.get("q", ""),
    }
    if filters["status"] not in (*STATUS_LABELS, ""):
        abort(400)
    page = db.paginate(registrations_query(**filters), per_page=PAGE_SIZE, error_out=False)
    return render_template(
        "admin/registrations.html",
        page=page,
        filters=filters,
        statuses=STATUS_LABELS,
        groups=STAKEHOLDER_GROUPS,
        countries=country_groups(),
        pending=accounts.pending_count(),
    )


@bp.route("/registrations/<int:user_id>", methods=["GET", "POST"])
def registration(user_id):
    """One registration in full, with the verify and reject actions, or withdrawing a verification."""
    user = db.session.get(User, user_id) or abort(404)
    form = DecisionForm()
    if form.validate_on_submit():
        decision = request.form.get("decision")
        try:
            if decision == "withdrawn":
                withdraw_verification(current_user, user.id, form.reason.data)
            else:
                accounts.decide_registration(current_user, user.id, decision, form.reason.data)
        except RuleViolation as error:
            attach_error(form, error)
        else:
            messages = {
                AccountStatus.VERIFIED: _("%(name)s is verified."),
                AccountStatus.REJECTED: _("%(name)s is rejected."),
                "withdrawn": _("The verification of %(name)s is withdrawn."),
            }
            flash(messages[decision] % {"name": user.name}, "success")
            return redirect(url_for("admin.registrations"))
    return form_page("admin/registration.html", form, user=user, renames=editing.name_history(user))


@bp.route("/users")
def users():
    """All accounts with their roles, searchable."""
    text = request.args.get("q", "")
    page = db.paginate(registrations_query(status="", text=text), per_page=PAGE_SIZE, error_out=False)
    return render_template("admin/users.html", page=page, text=text, roles=ROLE_LABELS)


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@recent_second_factor
def set_role(user_id):
    """Grant a role to a user."""
    user = db.session.get(User, user_id) or abort(404)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        accounts.set_role(current_user, user, form.role.data)
    except RuleViolation as error:
        flash(error.message, "error")
    else:
        flash(_("%(name)s is now %(role)s.", name=user.name, role=ROLE_LABELS[user.role]), "success")
    return redirect(url_for("admin.users", q=request.args.get("q", "")))


@bp.route("/invitations", methods=["GET", "POST"])
def invitations():
    """Invite a person to register, also after the deadline; the link is shown once."""
    form = InvitationForm()
    link = None
    if form.validate_on_submit():
        try:
            _invitation, token = invitation_rules.create(current_user, form.email.data)
        except RuleViolation as error:
            attach_error(form, error)
        else:
            link = url_for("accounts.register", invite=token, _external=True)
            form = InvitationForm(formdata=None)
    recent = db.session.scalars(db.select(Invitation).order_by(Invitation.created_at.desc()).limit(50)).all()
    status = 422 if form.errors else 200
    return render_template("admin/invitations.html", form=form, link=link, invitations=recent), status


@bp.route("/themes", methods=["GET", "POST"])
def themes():
    """The Dialogue's themes, and a form to add one."""
    form = ThemeForm()
    if form.validate_on_submit():
        try:
            theme_rules.create_theme(
                current_user, form.name.data, form.slug.data, form.description.data, form.position.data
            )
        except RuleViolation as error:
            attach_error(form, error)
        else:
            flash(_("The theme is added."), "success")
            return redirect(url_for("admin.themes"))
    listing = db.session.scalars(db.select(Theme).order_by(Theme.position, Theme.id)).all()
    return form_page("admin/themes.html", form, themes=listing)


@bp.route("/themes/<int:theme_id>", methods=["GET", "POST"])
def edit_theme(theme_id):
    """Rename, describe or move a theme."""
    theme = db.session.get(Theme, theme_id) or abort(404)
    form = ThemeForm(obj=theme)
    if form.validate_on_submit():
        try:
            theme_rules.update_theme(
                current_user,
                theme,
                form.name.data,
                form.slug.data,
                form.description.data,
                form.position.data or 0,
            )
        except RuleViolation as error:
            attach_error(form, error)
        else:
            flash(_("The theme is saved."), "success")
            return redirect(url_for("admin.themes"))
    return form_page("admin/theme.html", form, theme=theme)


@bp.route("/words", methods=["GET", "POST"])
@recent_second_factor
def words():
    """Watched words: each with what happens to a post that contains it."""
    form = WordForm()
    if form.validate_on_submit():
        try:
            screening.add_word(current_user, form.word.data, form.action.data)
        except RuleViolation as error:
            attach_error(form, error)
        else:
            flash(_("The word is watched."), "success")
            return redirect(url_for("admin.words"), code=303)
    return form_page("admin/words.html", form, words=screening.words(), actions=WORD_ACTIONS)


@bp.route("/words/<int:word_id>/delete", methods=["POST"])
@recent_second_factor
def delete_word(word_id):
    """Stop watching a word."""
    try:
        screening.remove_word(current_user, word_id)
    except RuleViolation as error:
        flash(error.message, "error")
    else:
        flash(_("The word is no longer watched."), "success")
    return redirect(url_for("admin.words"), code=303)


@bp.route("/settings", methods=["GET", "POST"])
def moderation_settings():
    """The moderation settings: flag threshold, posts held for new accounts, links for new accounts."""
    form = SettingsForm(data=None if request.method == "POST" else moderation_settings_rules.current())
    if form.validate_on_submit():
        try:
            moderation_settings_rules.change(current_user, {key: form[key].data for key in SETTINGS})
        except RuleViolation as error:
            attach_error(form, error)
        else:
            flash(_("Settings saved."), "success")
            return redirect(url_for("admin.moderation_settings"), code=303)
    return form_page("admin/settings.html", form)
