"""Hub pages: the public listing and detail, the submitter's forms, progress, joining and exports."""

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from forum.accounts.models import STAKEHOLDER_GROUPS
from forum.csv_export import to_csv
from forum.extensions import db
from forum.forms import attach_error, form_page
from forum.hub import bp, joining, progress, queries, services
from forum.hub.forms import ContributionForm, FilterForm, JoinForm, ProgressForm
from forum.hub.models import (
    JOIN_STATES,
    KINDS,
    OVERALL,
    REGIONS,
    STATES,
    Contribution,
    JoinRequest,
    JoinState,
)
from forum.i18n import country_name
from forum.params import int_arg
from forum.policy import allowed, requires
from forum.rules import RuleViolation
from forum.states import ContributionState
from forum.threads.models import Theme


@bp.context_processor
def hub_labels():
    """The Hub's labels, for its templates."""
    return {
        "hub_kinds": KINDS,
        "hub_states": STATES,
        "hub_progress": OVERALL,
        "join_states": JOIN_STATES,
        "stakeholder_groups": STAKEHOLDER_GROUPS,
        "area_name": area_name,
    }


def area_name(code):
    """A region's or a country's name in the reader's language."""
    return REGIONS[code] if code in REGIONS else country_name(code)


def all_themes():
    """Themes in their display order."""
    return db.session.scalars(select(Theme).order_by(Theme.position, Theme.id)).all()


def visible(contribution_id):
    """The contribution, or 404 when it does not exist or the viewer may not see it."""
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None or not allowed(current_user, "contribution.view", contribution):
        abort(404)
    return contribution


def deadline_context():
    """What every Hub page says about the submission deadline."""
    return {"deadline": services.deadline(), "time_left": services.time_left()}


@bp.route("/")
def index():
    """Published contributions with filters and a plain-text search."""
    form = FilterForm(request.args, themes=all_themes())
    filters = queries.Filters(
        **{name: (form[name].data or "").strip() for name in queries.Filters.__annotations__}
    )
    number = int_arg("page", 1, minimum=1)
    contributions, has_next = queries.page_of(filters, number)
    return render_template(
        "hub/index.html",
        form=form,
        contributions=contributions,
        page=number,
        has_next=has_next,
        **deadline_context(),
    )


@bp.route("/mine")
@requires("signed_in")
def mine():
    """The signed-in user's own contributions with their status and the secretariat's reasons."""
    return render_template("hub/mine.html", contributions=queries.mine(current_user), **deadline_context())


def attach_errors(form, error):
    """Show every field error of a refused contribution beside its field."""
    for each in getattr(error, "errors", [error]):
        attach_error(form, each)


def _render_form(form, contribution=None, status=None):
    """The contribution form, new or editing."""
    return form_page(
        "hub/form.html",
        form,
        status,
        contribution=contribution,
        may_contribute=allowed(current_user, "participate")
        and (contribution is None or services.may_edit(current_user, contribution)),
        is_open=services.is_open(),
        **deadline_context(),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires("signed_in")
def new():
    """Write a contribution: save it as a draft or submit it for review."""
    form = ContributionForm(themes=all_themes())
    if not form.is_submitted():
        form.lead_organisation.data = current_user.organisation
        form.contact_email.data = current_user.email
    if form.validate_on_submit():
        try:
            created = services.create(
                current_user, form.values(), submit=request.form.get("action") == "submit"
            )
        except RuleViolation as error:
            attach_errors(form, error)
            return _render_form(form, status=403 if error.code in ("forbidden", "closed") else 422)
        flash(
            _("Contribution submitted for review.")
            if created.state == ContributionState.SUBMITTED
            else _("Draft saved.")
        )
        return redirect(url_for("hub.detail", contribution_id=created.id))
    return _render_form(form)


@bp.route("/<int:contribution_id>/edit", methods=["GET", "POST"])
@requires("signed_in")
def edit(contribution_id):
    """Change a draft or a returned contribution, and submit it."""
    contribution = visible(contribution_id)
    form = ContributionForm(themes=all_themes())
    if not services.may_edit(current_user, contribution):
        form.form_errors.append(
            _("You may only change your own drafts and contributions returned for changes.")
        )
        return _render_form(form, contribution, 403)
    if not form.is_submitted():
        form.fill(contribution)
    if form.validate_on_submit():
        try:
            services.edit(
                current_user, contribution, form.values(), submit=request.form.get("action") == "submit"
            )
        except RuleViolation as error:
            db.session.rollback()
            attach_errors(form, error)
            refused = error.code in ("forbidden", "closed", "not_editable")
            return _render_form(form, db.session.get(Contribution, contribution_id), 403 if refused else 422)
        flash(
            _("Contribution submitted for review.")
            if contribution.state == ContributionState.SUBMITTED
            else _("Draft saved.")
        )
        return redirect(url_for("hub.detail", contribution_id=contribution.id))
    return _render_form(form, contribution)


def _detail(contribution, progress_form=None, join_form=None, status=200):
    """The detail page, with the forms its viewer may use (only those: each form makes a CSRF token)."""
    viewer = current_user
    own = viewer.is_authenticated and viewer.id == contribution.submitter_id
    may_join = allowed(viewer, "participate") and not own
    if join_form is None and may_join:
        join_form = JoinForm()
        join_form.organisation.data = viewer.organisation
    if progress_form is None and own:
        progress_form = ProgressForm(deliverables=contribution.deliverables)
    page = render_template(
        "hub/detail.html",
        contribution=contribution,
        own=own,
        show_contact=allowed(viewer, "participate"),
        progress_form=progress_form,
        join_form=join_form,
        may_join=may_join,
        **deadline_context(),
    )
    return page, status


@bp.route("/<int:contribution_id>")
def detail(contribution_id):
    """A contribution: what it is, who is in it, its deliverables and their progress, its thread."""
    return _detail(visible(contribution_id))


@bp.route("/<int:contribution_id>/submit", methods=["POST"])
@requires("signed_in")
def submit(contribution_id):
    """Submit a saved draft for review, unchanged."""
    contribution = visible(contribution_id)
    form = ContributionForm(themes=all_themes())
    form.fill(contribution)
    try:
        services.edit(current_user, contribution, form.values(), submit=True)
    except RuleViolation as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        flash(_("Contribution submitted for review."))
    return redirect(url_for("hub.detail", contribution_id=contribution_id))


@bp.route("/<int:contribution_id>/withdraw", methods=["POST"])
@requires("signed_in")
def withdraw(contribution_id):
    """The submitter withdraws a contribution."""
    contribution = visible(contribution_id)
    try:
        services.withdraw(current_user, contribution)
    except RuleViolation as error:
        flash(error.message, "error")
        return redirect(url_for("hub.detail", contribution_id=contribution_id))
    flash(_("Contribution withdrawn."))
    return redirect(url_for("hub.mine"))


@bp.route("/<int:contribution_id>/progress", methods=["POST"])
@requires("signed_in")
def report_progress(contribution_id):
    """The submitter reports progress on a deliverable."""
    contribution = visible(contribution_id)
    form = ProgressForm(deliverables=contribution.deliverables)
    if form.validate_on_submit():
        try:
            progress.add_progress(
                current_user,
                contribution,
                form.deliverable.data,
                form.status.data,
                form.reported_on.data,
                form.note.data,
            )
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error)
            return _detail(contribution, progress_form=form, status=403 if error.code == "forbidden" else 422)
        flash(_("Progress recorded."))
        return redirect(url_for("hub.detail", contribution_id=contribution_id, _anchor="deliverables"))
    return _detail(contribution, progress_form=form, status=422)


@bp.route("/<int:contribution_id>/join", methods=["POST"])
@requires("signed_in")
def join(contribution_id):
    """Ask that one's organisation join a partnership or coalition."""
    contribution = visible(contribution_id)
    form = JoinForm()
    if form.validate_on_submit():
        try:
            joining.request_join(current_user, contribution, form.organisation.data, form.message.data)
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error)
            return _detail(contribution, join_form=form, status=403 if error.code == "forbidden" else 422)
        flash(_("Your request to join was sent to the lead."))
        return redirect(url_for("hub.detail", contribution_id=contribution_id))
    return _detail(contribution, join_form=form, status=422)


@bp.route("/join-requests/<int:request_id>", methods=["POST"])
@requires("signed_in")
def answer_join(request_id):
    """The submitter accepts or declines a request to join."""
    join_request = db.session.get(JoinRequest, request_id) or abort(404)
    try:
        joining.decide_join(current_user, join_request, request.form.get("answer") == "accept")
    except RuleViolation as error:
        if error.code == "forbidden":
            abort(403)
        flash(error.message, "error")
    else:
        flash(_("Request accepted.") if join_request.state == JoinState.ACCEPTED else _("Request declined."))
    return redirect(url_for("hub.detail", contribution_id=join_request.contribution_id))


@bp.route("/export.json")
def export_json():
    """The published Hub as JSON."""
    body = json.dumps({"contributions": queries.export_rows()}, ensure_ascii=False, indent=1)
    return Response(body, mimetype="application/json")


@bp.route("/export.csv")
def export_csv():
    """The published Hub as CSV, one row per contribution, lists joined with semicolons."""
    rows = []
    for row in queries.export_rows():
        cells = ["; ".join(row[c]) if isinstance(row[c], list) else row[c] for c in queries.EXPORT_COLUMNS]
        deliverables = "; ".join(
            f"{d['target_date']} {d['title']} ({d['status']})" for d in row["deliverables"]
        )
        rows.append([*cells, deliverables])
    headers = {"Content-Disposition": "attachment; filename=partnerships-hub.csv"}
    body = to_csv([*queries.EXPORT_COLUMNS, "deliverables"], rows)
    return Response(body, mimetype="text/csv", headers=headers)
