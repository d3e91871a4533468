"""Secretariat pages for changes of verified identity: the queue with filters, and accept or decline."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.accounts import editing
from forum.accounts.identity import CHANGE_STATES, ChangeState, IdentityChange
from forum.accounts.models import STAKEHOLDER_GROUPS
from forum.admin import bp
from forum.admin.forms import IdentityDecisionForm
from forum.admin.services import (
    PAGE_SIZE,
    decide_identity_change,
    identity_changes_query,
    pending_identity_changes,
)
from forum.extensions import db
from forum.forms import attach_error, form_page
from forum.rules import RuleViolation


@bp.route("/identity-changes")
def identity_changes():
    """Requests to change a verified identity, with filters: state, requested group, text."""
    filters = {
        "state": request.args.get("state", ChangeState.PENDING),
        "group": request.args.get("group", ""),
        "text": request.args.get("q", ""),
    }
    if filters["state"] not in (*CHANGE_STATES, "") or filters["group"] not in (*STAKEHOLDER_GROUPS, ""):
        abort(400)
    page = db.paginate(identity_changes_query(**filters), per_page=PAGE_SIZE, error_out=False)
    return render_template(
        "admin/identity_changes.html",
        page=page,
        filters=filters,
        states=CHANGE_STATES,
        groups=STAKEHOLDER_GROUPS,
        pending=pending_identity_changes(),
    )


@bp.route("/identity-changes/<int:change_id>", methods=["GET", "POST"])
def identity_change(change_id):
    """One request beside the verified identity, the participant's name history, accept and decline."""
    change = db.session.get(IdentityChange, change_id) or abort(404)
    form = IdentityDecisionForm()
    if form.validate_on_submit():
        decision = request.form.get("decision")
        try:
            decide_identity_change(current_user, change.id, decision, form.reason.data)
        except RuleViolation as error:
            attach_error(form, error)
        else:
            if decision == ChangeState.ACCEPTED:
                flash(_("The change of identity of %(name)s is accepted.", name=change.user.name), "success")
            else:
                flash(_("The change of identity of %(name)s is declined.", name=change.user.name), "success")
            return redirect(url_for("admin.identity_changes"), code=303)
    return form_page(
        "admin/identity_change.html",
        form,
        change=change,
        states=CHANGE_STATES,
        renames=editing.name_history(change.user),
    )
