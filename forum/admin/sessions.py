"""Secretariat pages for the programme: sessions by day, add, edit and delete (guarded by the blueprint)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from forum.admin import bp
from forum.admin.forms import SessionForm
from forum.extensions import db
from forum.forms import attach_error, form_page
from forum.qa import agenda, services
from forum.qa.models import AgendaSession
from forum.rules import RuleViolation
from forum.threads.models import Theme


def _themes():
    """Every theme, in the list's order, for the linked themes field."""
    return db.session.scalars(select(Theme).order_by(Theme.position, Theme.id)).all()


def _values(form):
    """The form's data as the agenda rules take it."""
    return {name: field.data for name, field in form._fields.items() if name != "csrf_token"}


@bp.route("/sessions")
def sessions():
    """The programme's sessions by day, in Geneva time, each with its chairs."""
    return render_template(
        "admin/sessions.html", days=services.programme_by_day(), chairs_of=agenda.chairs_of
    )


def _edit(session):
    """The add or edit form: saved, or shown again with each message beside its field."""
    themes = _themes()
    if request.method == "POST":
        form = SessionForm(themes=themes)
    else:
        form = SessionForm(
            formdata=None, data=agenda.form_values(session) if session else None, themes=themes
        )
    if form.validate_on_submit():
        try:
            saved = agenda.save(current_user, session, _values(form))
        except RuleViolation as error:
            attach_error(form, error)
        else:
            flash(_("The session “%(title)s” is saved.", title=saved.title), "success")
            return redirect(url_for("admin.sessions"), code=303)
    return form_page("admin/session.html", form, session=session)


@bp.route("/sessions/new", methods=["GET", "POST"])
def new_session():
    """Add a session to the programme."""
    return _edit(None)


@bp.route("/sessions/<int:session_id>", methods=["GET", "POST"])
def edit_session(session_id):
    """Change a session of the programme."""
    return _edit(db.session.get(AgendaSession, session_id) or abort(404))


@bp.route("/sessions/<int:session_id>/delete", methods=["POST"])
def delete_session(session_id):
    """Delete a session nobody took part in yet; otherwise say why it stays."""
    session = db.session.get(AgendaSession, session_id) or abort(404)
    title = session.title
    try:
        agenda.delete(current_user, session)
    except RuleViolation as error:
        form = SessionForm(formdata=None, data=agenda.form_values(session), themes=_themes())
        form.form_errors.append(error.message)
        return render_template("admin/session.html", form=form, session=session), 409
    flash(_("The session “%(title)s” is deleted.", title=title), "success")
    return redirect(url_for("admin.sessions"), code=303)
