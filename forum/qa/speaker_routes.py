"""The speakers' list page and its no-JavaScript forms: request a slot, decide, order, time the speakers."""

from datetime import datetime

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf as csrf_token

from forum.extensions import db
from forum.forms import attach_error
from forum.i18n import dialogue_zone
from forum.policy import allowed, requires
from forum.qa import bp, services, speakers
from forum.qa.forms import DeadlineForm, SlotRequestForm
from forum.qa.models import SLOT_STATES, STATEMENT_LANGUAGES, AgendaSession, SpeakerSlot
from forum.qa.routes import session_or_404
from forum.realtime.store import last_seq
from forum.rules import RuleViolation


def render_speakers(session, status=200, form=None, error=None, deadline_form=None):
    """The public list, the viewer's requests and form, and the chair's controls."""
    runs = allowed(current_user, "session.speakers", session)
    can_request = allowed(current_user, "participate")
    local = speakers.deadline(session).astimezone(dialogue_zone())
    # Forms only for those who may use them: each one makes a CSRF token, which an anonymous page must not.
    if deadline_form is None and runs:
        deadline_form = DeadlineForm(deadline=local.replace(tzinfo=None))
    return render_template(
        "qa/speakers.html",
        session=session,
        listed=speakers.approved(session),
        requests=speakers.requests(session) if runs else [],
        mine=speakers.mine(current_user, session),
        form=form or (SlotRequestForm() if can_request else None),
        token=csrf_token() if current_user.is_authenticated else "",
        deadline_form=deadline_form,
        deadline=speakers.deadline(session),
        can_request=can_request,
        runs=runs,
        error=error,
        statement_languages=STATEMENT_LANGUAGES,
        slot_states=SLOT_STATES,
        since=last_seq(services.room_of(session)),
        **speakers.floor(session),
    ), status


def slot_or_404(slot_id):
    """The slot, or 404."""
    return db.session.get(SpeakerSlot, slot_id) or abort(404)


def _back(session):
    """Back to the speakers' list page."""
    return redirect(url_for("qa.speakers_page", slug=session.slug), 303)


@bp.route("/programme/<slug>/speakers")
def speakers_page(slug):
    """The session's speakers' list: public when approved; requests for their authors and the chair."""
    return render_speakers(session_or_404(slug))


@bp.route("/programme/<slug>/speakers", methods=["POST"])
@requires("signed_in")
def request_slot(slug):
    """Request a speaking slot."""
    session = session_or_404(slug)
    form = SlotRequestForm()
    try:
        speakers.request_slot(
            current_user, session, form.on_behalf_of.data, form.language.data, form.minutes.data
        )
    except RuleViolation as error:
        attach_error(form, error)
        return render_speakers(session, 422, form=form)
    return _back(session)


def _act(slot_id, action):
    """Run a chair's action on a slot; the page again, or the page with the refusal."""
    slot = slot_or_404(slot_id)
    session = db.session.get(AgendaSession, slot.session_id)
    try:
        action(slot)
    except RuleViolation as error:
        return render_speakers(session, 403 if error.code == "forbidden" else 422, error=error.message)
    return _back(session)


@bp.route("/speakers/<int:slot_id>/decide", methods=["POST"])
@requires("signed_in")
def decide(slot_id):
    """Approve a request, or reject it with a reason."""
    approve = request.form.get("decision") == "approve"
    reason = request.form.get("reason", "")
    return _act(slot_id, lambda slot: speakers.decide(current_user, slot, approve, reason))


@bp.route("/speakers/<int:slot_id>/move", methods=["POST"])
@requires("signed_in")
def move(slot_id):
    """Move an approved slot up or down the list."""
    return _act(slot_id, lambda slot: speakers.move(current_user, slot, request.form.get("direction")))


@bp.route("/speakers/<int:slot_id>/start", methods=["POST"])
@requires("signed_in")
def start(slot_id):
    """Give the floor to a speaker and start their timer."""
    return _act(slot_id, lambda slot: speakers.start(current_user, slot))


@bp.route("/speakers/<int:slot_id>/stop", methods=["POST"])
@requires("signed_in")
def stop(slot_id):
    """End a speaker's time."""
    return _act(slot_id, lambda slot: speakers.stop(current_user, slot))


@bp.route("/programme/<slug>/speakers/deadline", methods=["POST"])
@requires("signed_in")
def deadline(slug):
    """Set the deadline for slot requests (Geneva time; empty: the session's end)."""
    session = session_or_404(slug)
    form = DeadlineForm()
    if not form.validate():
        return render_speakers(session, 422, deadline_form=form)
    local = form.deadline.data
    zone = dialogue_zone()
    value = local.replace(tzinfo=zone) if isinstance(local, datetime) else None
    try:
        services.set_speaker_deadline(current_user, session, value)
    except RuleViolation as error:
        return render_speakers(session, 403, error=error.message)
    return _back(session)
