"""Moderators' pages: the review queue, post and thread actions, users' sanctions and notes, the audit log."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from forum.accounts import editing
from forum.accounts.models import User
from forum.accounts.twofactor_routes import recent_second_factor
from forum.audit import ACTION_LABELS
from forum.extensions import db
from forum.forms import attach_error, form_page, select_choices
from forum.moderation import actions, bp, flags, items, listing, queue, sanctions
from forum.moderation.forms import (
    AuditFilterForm,
    EditApproveForm,
    MoveForm,
    NoteForm,
    ReasonForm,
    SanctionForm,
    SlowModeForm,
    ThreadActionForm,
)
from forum.moderation.models import FLAG_REASONS, HOLD_REASONS, ITEM_STATES, SANCTIONS, ItemState, ReviewItem
from forum.params import id_list
from forum.permissions import ROLE_LABELS
from forum.rules import RuleViolation
from forum.states import PostState
from forum.threads.models import Post, Theme, Thread


def _refused(error, target=None):
    """A refused decision: the reason as a message, back to the queue (or `target`)."""
    flash(error.message, "error")
    return redirect(target or url_for("moderation.index"), code=303)


@bp.route("/")
def index():
    """The review queue: open items oldest first, or recently handled ones."""
    state = request.args.get("state", ItemState.OPEN)
    reason = request.args.get("reason", "")
    if state not in (ItemState.OPEN, "handled") or (reason and reason not in HOLD_REASONS):
        abort(400)
    found = listing.queue(state, reason)
    return render_template(
        "moderation/queue.html",
        items=found,
        context=listing.context(found),
        state=state,
        reason=reason,
        open_count=items.open_count(),
        hold_reasons=HOLD_REASONS,
        flag_reasons=FLAG_REASONS,
        item_states=ITEM_STATES,
        form=ReasonForm(),
    )


@bp.route("/items/<int:item_id>/<any(claim, release, approve):action>", methods=["POST"])
def decide(item_id, action):
    """Claim, release or approve one item."""
    try:
        {"claim": queue.claim, "release": queue.release, "approve": queue.approve}[action](
            current_user, item_id
        )
    except RuleViolation as error:
        return _refused(error)
    messages = {"claim": _("Item claimed."), "release": _("Claim released."), "approve": _("Post approved.")}
    flash(messages[action], "success")
    return redirect(url_for("moderation.index"), code=303)


@bp.route("/items/<int:item_id>/reject", methods=["POST"])
def reject(item_id):
    """Reject one item with a reason the author is told."""
    try:
        queue.reject(current_user, item_id, request.form.get("reason"))
    except RuleViolation as error:
        return _refused(error)
    flash(_("Post rejected; the author is told why."), "success")
    return redirect(url_for("moderation.index"), code=303)


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
def edit_item(item_id):
    """Correct the post of an item, then approve it."""
    item = db.session.get(ReviewItem, item_id) or abort(404)
    form = EditApproveForm(body=item.post.body) if request.method == "GET" else EditApproveForm()
    if form.validate_on_submit():
        try:
            queue.approve(current_user, item.id, body=form.body.data)
        except RuleViolation as error:
            if error.field is None:
                return _refused(error)
            attach_error(form, error)
        else:
            flash(_("Post edited and approved."), "success")
            return redirect(url_for("moderation.index"), code=303)
    return form_page("moderation/edit_item.html", form, item=item)


@bp.route("/items/bulk", methods=["POST"])
def bulk():
    """Approve or reject the selected items, each on its own; refusals are listed."""
    ids = id_list("items")
    try:
        results = queue.bulk(current_user, ids, request.form.get("action"), request.form.get("reason"))
    except RuleViolation as error:
        return _refused(error)
    done = sum(1 for _item, refusal in results if refusal is None)
    flash(_("%(n)s of %(total)s items handled.", n=done, total=len(results)), "success")
    for item_id, refusal in results:
        if refusal is not None:
            flash(_("Item %(id)s: %(message)s", id=str(item_id), message=refusal.message), "error")
    return redirect(url_for("moderation.index"), code=303)


@bp.route("/posts/<int:post_id>", methods=["GET", "POST"])
def post(post_id):
    """Hide or restore a post, with a reason its author is told."""
    found = db.session.get(Post, post_id) or abort(404)
    form = ReasonForm()
    if form.validate_on_submit():
        action = actions.hide if found.state == PostState.PUBLISHED else actions.restore
        try:
            action(current_user, found, form.reason.data)
        except RuleViolation as error:
            attach_error(form, error)
        else:
            flash(_("Done; the author is told why."), "success")
            return redirect(url_for("threads.post", post_id=found.id), code=303)
    return form_page(
        "moderation/post.html",
        form,
        post=found,
        flags=flags.flags_of([found.id]).get(found.id, []),
        flag_reasons=FLAG_REASONS,
    )


@bp.route("/threads/<int:thread_id>", methods=["GET", "POST"])
def thread(thread_id):
    """Lock, pin, move a thread or set its slow mode."""
    found = db.session.get(Thread, thread_id) or abort(404)
    themes = db.session.scalars(db.select(Theme).order_by(Theme.position, Theme.id)).all()
    forms = {"flags": ThreadActionForm(), "move": MoveForm(), "slow": SlowModeForm()}
    forms["move"].theme.choices = select_choices((t.slug, t.name) for t in themes)
    forms["slow"].seconds.choices = select_choices((s, _slow_label(s)) for s in actions.SLOW_MODE_CHOICES)
    if request.method == "GET":
        forms["move"].theme.data = found.theme.slug
        forms["slow"].seconds.data = found.slow_mode_seconds
    which = request.form.get("change")
    form = forms.get({"lock": "flags", "unlock": "flags", "pin": "flags", "unpin": "flags"}.get(which, which))
    if request.method == "POST" and form is not None and form.validate_on_submit():
        try:
            _apply_thread_change(which, found, form, themes)
        except RuleViolation as error:
            attach_error(form, error)
        else:
            flash(_("Thread updated."), "success")
            return redirect(url_for("moderation.thread", thread_id=found.id), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("moderation/thread.html", thread=found, forms=forms), status


def _apply_thread_change(which, found, form, themes):
    """Call the thread action the submitted form asks for."""
    reason = form.reason.data
    if which in ("lock", "unlock"):
        actions.set_locked(current_user, found, which == "lock", reason)
    elif which in ("pin", "unpin"):
        actions.set_pinned(current_user, found, which == "pin", reason)
    elif which == "move":
        theme = next((t for t in themes if t.slug == form.theme.data), None)
        actions.move(current_user, found, theme, reason)
    else:
        actions.set_slow_mode(current_user, found, form.seconds.data, reason)


def _slow_label(seconds):
    """A slow mode interval in words."""
    if not seconds:
        return _("Off")
    if seconds < 60:
        return ngettext("%(num)s second", "%(num)s seconds", seconds)
    return ngettext("%(num)s minute", "%(num)s minutes", seconds // 60)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user(user_id):
    """A user as staff see them: sanctions (and the forms to add one), staff notes, renames, recent posts."""
    found = db.session.get(User, user_id) or abort(404)
    form, note_form = SanctionForm(), NoteForm()
    if request.method == "POST":
        submitted = form if request.form.get("change") == "sanction" else note_form
        if submitted.validate_on_submit():
            try:
                if submitted is form:
                    sanctions.sanction(
                        current_user, found, form.kind.data, form.reason.data, form.ends_at_utc()
                    )
                else:
                    sanctions.add_note(current_user, found, note_form.body.data)
            except RuleViolation as error:
                attach_error(submitted, error)
            else:
                flash(_("Saved."), "success")
                return redirect(url_for("moderation.user", user_id=found.id), code=303)
    recent = db.session.scalars(
        db.select(Post).where(Post.author_id == found.id).order_by(Post.id.desc()).limit(20)
    ).all()
    status = 422 if request.method == "POST" else 200
    return render_template(
        "moderation/user.html",
        user=found,
        form=form,
        note_form=note_form,
        history=sanctions.history(found),
        notes=sanctions.notes(found),
        renames=editing.name_history(found),
        recent=recent,
        sanction_labels=SANCTIONS,
        roles=ROLE_LABELS,
    ), status


@bp.route("/sanctions/<int:sanction_id>/lift", methods=["POST"])
def lift(sanction_id):
    """End a silence or suspension before its date."""
    try:
        row = sanctions.lift(current_user, sanction_id)
    except RuleViolation as error:
        return _refused(error, request.referrer if request.referrer else None)
    flash(_("Sanction lifted."), "success")
    return redirect(url_for("moderation.user", user_id=row.user_id), code=303)


def _audit_filters():
    """The audit log's filter form, filled from the query string."""
    form = AuditFilterForm(request.args)
    form.action.choices = select_choices([("", _("Any action")), *ACTION_LABELS.items()])
    if not form.validate():
        abort(400)
    return form, listing.audit_query(form.actor.data, form.action.data, form.start.data, form.end.data)


@bp.route("/audit")
def audit_log():
    """The audit log, newest first, searchable by actor, action and date."""
    form, query = _audit_filters()
    page = db.paginate(query, per_page=listing.AUDIT_PAGE, error_out=False)
    return render_template("moderation/audit.html", form=form, page=page, labels=ACTION_LABELS)


@bp.route("/audit.csv")
@recent_second_factor
def audit_export():
    """The audit log, with the same filters, as CSV."""
    _form, query = _audit_filters()
    return Response(
        listing.audit_csv(query),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=audit-log.csv"},
    )
