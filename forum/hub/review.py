"""The secretariat's review queue for Hub contributions, under /hub/review; admins only, guarded once."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.extensions import db
from forum.forms import attach_error
from forum.hub import bp, decisions
from forum.hub.forms import DecisionForm
from forum.hub.models import STATES, Contribution
from forum.policy import requires
from forum.rules import RuleViolation


@bp.route("/review")
@requires("administer")
def review_queue():
    """Submitted contributions waiting for a decision, and the latest decisions."""
    return render_template(
        "hub/review_queue.html", items=decisions.queue(), reviewed=decisions.recently_reviewed()
    )


def _item(contribution_id):
    """The contribution under review, or 404."""
    return db.session.get(Contribution, contribution_id) or abort(404)


def _page(contribution, form, status=200):
    """The review page of one contribution."""
    return render_template("hub/review_item.html", contribution=contribution, form=form), status


@bp.route("/review/<int:contribution_id>")
@requires("administer")
def review_item(contribution_id):
    """One contribution with the decision form."""
    return _page(_item(contribution_id), DecisionForm())


@bp.route("/review/<int:contribution_id>/claim", methods=["POST"])
@requires("administer")
def review_claim(contribution_id):
    """Take a contribution for review."""
    contribution = _item(contribution_id)
    try:
        decisions.claim(current_user, contribution)
    except RuleViolation as error:
        flash(error.message, "error")
    else:
        flash(_("You are reviewing this contribution."))
    return redirect(url_for("hub.review_item", contribution_id=contribution_id))


@bp.route("/review/<int:contribution_id>/decide", methods=["POST"])
@requires("administer")
def review_decide(contribution_id):
    """Publish, return for changes or reject a contribution."""
    contribution = _item(contribution_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _page(contribution, form, 422)
    try:
        decisions.decide(current_user, contribution, request.form.get("decision"), form.reason.data)
    except RuleViolation as error:
        attach_error(form, error)
        return _page(contribution, form, 409 if error.code == "already_handled" else 422)
    flash(_("Decision recorded: %(state)s.", state=STATES[contribution.state]))
    return redirect(url_for("hub.review_queue"))
