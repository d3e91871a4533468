"""The programme, a session's page with its Q&A, and the Q&A's no-JavaScript forms."""

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf as csrf_token

from forum.extensions import db
from forum.forms import attach_error, form_page
from forum.languages import offered
from forum.policy import allowed, requires
from forum.qa import bp, calendar, listing, questions, services, speakers, votes
from forum.qa.forms import AskForm, EditQuestionForm, MergeForm, QuestionLanguageForm, SettingsForm
from forum.qa.live import question_html
from forum.qa.models import QaState, Question, QuestionState
from forum.realtime.store import last_seq
from forum.rules import RuleViolation
from forum.threads.refusals import silence_notice


def session_or_404(slug):
    """The session with this slug, or 404 (also when the site is members-only and the reader is anonymous)."""
    found = services.by_slug(slug)
    if found is None or not allowed(current_user, "read"):
        abort(404)
    return found


def question_or_404(question_id):
    """The question, or 404."""
    return db.session.get(Question, question_id) or abort(404)


@bp.route("/programme")
def programme():
    """The two-day programme, by day, in Geneva time, with what is on now and next."""
    running, upcoming = services.now_and_next()
    return render_template(
        "qa/programme.html", days=services.programme_by_day(), running=running, upcoming=upcoming
    )


def _calendar(body, filename):
    """An .ics answer that calendar apps subscribe to or import."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, mimetype=calendar.MEDIA_TYPE, headers=headers)


@bp.route("/programme.ics")
def programme_calendar():
    """The whole programme as an iCalendar feed ("Add to calendar")."""
    return _calendar(calendar.programme_feed(), "programme.ics")


@bp.route("/programme/<slug>.ics")
def session_calendar(slug):
    """One session as an iCalendar file ("Add to calendar")."""
    session = session_or_404(slug)
    return _calendar(calendar.session_feed(session), f"{session.slug}.ics")


def render_session(session, status=200, form=None, error=None):
    """The session page: details, the Q&A in the chosen order and language, and the viewer's forms."""
    sort = request.args.get("sort", listing.DEFAULT_SORT)
    sort = sort if sort in listing.SORTS else listing.DEFAULT_SORT
    language = offered(request.args.get("language"))
    items = listing.visible(current_user, session, sort, language)
    voted = questions.has_voted(current_user, [q.id for q in items])
    moderator = allowed(current_user, "session.moderate", session)
    staff = allowed(current_user, "moderate")
    can_vote = allowed(current_user, "participate") and session.qa_state == QaState.OPEN
    # Anonymous visitors do not vote: their page carries no token, so it can be shared.
    token = csrf_token() if current_user.is_authenticated else ""
    me = current_user.id if current_user.is_authenticated else None
    rendered = [
        question_html(q, staff or moderator, token, q.id in voted, can_vote, moderator, q.author_id == me)
        for q in items
    ]
    # Forms only for those who may use them: each one makes a CSRF token, which an anonymous page must not.
    settings = (
        SettingsForm(qa_state=session.qa_state, moderation_mode=session.moderation_mode)
        if moderator
        else None
    )
    can_ask = allowed(current_user, "participate") and session.qa_state == QaState.OPEN
    # A silenced participant hears why and until when, not that they are unverified.
    ask_refusal = silence_notice(current_user) or _("Only verified participants may ask questions.")
    slot, slot_ends = speakers.current(session)
    return render_template(
        "qa/session.html",
        session=session,
        questions=rendered,
        count=len(items),
        sort=sort,
        sorts=listing.SORTS,
        language=language,
        form=form or (AskForm() if can_ask else None),
        settings=settings,
        error=error,
        moderator=moderator,
        can_ask=can_ask,
        ask_refusal=ask_refusal,
        can_vote=can_vote,
        highlighted=listing.highlighted(session),
        slot=slot,
        slot_ends=slot_ends,
        threads=[t for t in session.threads if allowed(current_user, "thread.view", t)],
        since=last_seq(services.room_of(session)),
        ended=services.has_ended(session),
    ), status


@bp.route("/programme/<slug>")
def session_page(slug):
    """One session of the programme with its live Q&A."""
    return render_session(session_or_404(slug))


def _back(session, anchor=None):
    """Back to the session page, in the order the viewer was using."""
    sort = request.form.get("sort")
    args = {"sort": sort} if sort in listing.SORTS else {}
    return redirect(url_for("qa.session_page", slug=session.slug, **args, _anchor=anchor), 303)


@bp.route("/programme/<slug>/questions", methods=["POST"])
@requires("signed_in")
def ask(slug):
    """Ask a question (the form under the list)."""
    session = session_or_404(slug)
    form = AskForm()
    try:
        question = questions.ask(
            current_user, session, form.body.data, form.anonymous.data, form.language.data
        )
    except RuleViolation as error:
        attach_error(form, error)
        return render_session(session, 422, form=form)
    return _back(session, f"question-{question.id}")


@bp.route("/questions/<int:question_id>/vote", methods=["POST"])
@requires("signed_in")
def vote(question_id):
    """Upvote a question, or withdraw the vote (vote=0)."""
    question = question_or_404(question_id)
    try:
        questions.set_vote(current_user, question.id, request.form.get("vote", "1") == "1")
        # Socket votes are counted a moment later; this one's page is drawn right now.
        votes.store_now(question.id)
    except RuleViolation as error:
        return render_session(question.session, 422, error=error.message)
    return _back(question.session, f"question-{question.id}")


@bp.route("/questions/<int:question_id>/moderate", methods=["POST"])
@requires("signed_in")
def moderate(question_id):
    """Approve, dismiss, mark answered, highlight or clear the highlight."""
    question = question_or_404(question_id)
    try:
        questions.moderate(current_user, question, request.form.get("action"))
    except RuleViolation as error:
        return render_session(question.session, 422, error=error.message)
    return _back(question.session, f"question-{question.id}")


def _merge_form(question, data=None):
    """The merge form, offering the session's other open questions."""
    form = MergeForm(data)
    others = listing.visible(current_user, question.session)
    form.target.choices = [
        (q.id, q.body[:80]) for q in others if q.id != question.id and q.state == QuestionState.PUBLISHED
    ]
    return form


@bp.route("/questions/<int:question_id>/manage", methods=["GET", "POST"])
@requires("signed_in")
def manage(question_id):
    """A moderator edits a question's text or merges it into another."""
    question = question_or_404(question_id)
    session = question.session
    if not allowed(current_user, "session.moderate", session):
        abort(403)
    form = EditQuestionForm(obj=question if request.method == "GET" else None)
    merge_form = _merge_form(question, request.form if request.form.get("target") else None)
    if request.method == "POST":
        try:
            if request.form.get("target"):
                target_id = merge_form.target.data
                target = db.session.get(Question, target_id) if target_id else None
                questions.merge(current_user, question, target)
            else:
                questions.edit(current_user, question, form.body.data, form.language.data)
        except RuleViolation as error:
            attach_error(merge_form if request.form.get("target") else form, error)
        else:
            return _back(session, f"question-{question.id}")
    status = 422 if request.method == "POST" else 200
    return render_template(
        "qa/manage.html", question=question, session=session, form=form, merge_form=merge_form
    ), status


@bp.route("/questions/<int:question_id>/language", methods=["GET", "POST"])
@requires("signed_in")
def question_language(question_id):
    """The asker (or a moderator) says which language a question is in."""
    question = question_or_404(question_id)
    if question.author_id != current_user.id and not allowed(
        current_user, "session.moderate", question.session
    ):
        abort(403)
    form = QuestionLanguageForm(obj=question if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            questions.set_language(current_user, question, form.language.data)
        except RuleViolation as error:
            attach_error(form, error)
        else:
            return _back(question.session, f"question-{question.id}")
    return form_page("qa/language.html", form, question=question)


@bp.route("/programme/<slug>/settings", methods=["POST"])
@requires("signed_in")
def settings(slug):
    """Open, close or archive the Q&A and choose its moderation."""
    session = session_or_404(slug)
    form = SettingsForm()
    try:
        services.set_moderation_mode(current_user, session, form.moderation_mode.data)
        services.set_qa_state(current_user, session, form.qa_state.data)
    except RuleViolation as error:
        return render_session(session, 422 if error.code != "forbidden" else 403, error=error.message)
    return _back(session)
