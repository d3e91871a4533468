"""Q&A rules: asking, voting and the moderators' actions on questions.

Each writer validates, writes in one transaction, commits, then publishes its events. Vote counts are not
stored events: forum.qa.votes broadcasts them, coalesced per session.
"""

from flask import has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum import audit, languages
from forum.accounts.identity import identity_of
from forum.accounts.models import session_claim
from forum.database import utcnow
from forum.extensions import db
from forum.policy import allowed
from forum.qa import ballot, hooks, votes
from forum.qa.models import (
    OPEN_QUESTION_STATES,
    QUESTION_MAX,
    AgendaSession,
    QaState,
    Question,
    QuestionState,
    QuestionVote,
)
from forum.qa.services import room_of
from forum.realtime.publish import publish_events
from forum.realtime.store import record
from forum.rules import RuleViolation
from forum.threads.refusals import silence_notice

ACTIONS = ("approve", "dismiss", "answer", "highlight", "unhighlight")
audit.ACTION_LABELS.update(
    {
        "question.approve": _l("Approved a question"),
        "question.dismiss": _l("Dismissed a question"),
        "question.answer": _l("Marked a question answered"),
        "question.highlight": _l("Highlighted a question"),
        "question.unhighlight": _l("Cleared a highlighted question"),
        "question.edit": _l("Edited a question"),
        "question.merge": _l("Merged a duplicate question"),
    }
)


def clean_body(body):
    """The question, trimmed, or a RuleViolation when it is empty or too long."""
    body = " ".join((body or "").split())
    if not body:
        raise RuleViolation(_("Write your question before sending it."), field="body", code="empty")
    if len(body) > QUESTION_MAX:
        raise RuleViolation(
            _("Questions are limited to %(n)s characters.", n=QUESTION_MAX), field="body", code="too_long"
        )
    return body


def _require_open(session):
    """A RuleViolation unless the session's Q&A is open."""
    if session.qa_state != QaState.OPEN:
        raise RuleViolation(_("Questions are closed in this session."), code="closed")


def ask(user, session, body, anonymous=False, language=None):
    """A verified participant asks; the question waits for approval in a pre-moderated session.

    Its language is `language` when the asker chose one, else detected from the text.
    """
    if not allowed(user, "participate"):
        refusal = silence_notice(user) or _("Only verified participants may ask questions.")
        raise RuleViolation(refusal, code="forbidden")
    _require_open(session)
    state = QuestionState.PENDING if session.moderation_mode == "pre" else QuestionState.PUBLISHED
    body = clean_body(body)
    question = Question(
        session=session, author=user, body=body, anonymous=bool(anonymous), state=state,
        language=languages.choose(language, body), **identity_of(user),
    )  # fmt: skip
    db.session.add(question)
    db.session.flush()
    event = record(room_of(session), "question.created", {"question_id": question.id})
    hooks.question_changed(question, "question.created")
    db.session.commit()
    publish_events([event])
    return question


def set_vote(user, question_id, vote):
    """Add (vote=True) or withdraw (vote=False) the user's upvote; returns the question's exact count now.

    The primary key of question_vote refuses a second vote; claimed_vote writes it, and a vote it did
    not take is refused here with the reason.
    """
    if not allowed(user, "participate"):
        raise RuleViolation(
            silence_notice(user) or _("Only verified participants may vote."), code="forbidden"
        )
    claim = session_claim() if has_request_context() else None
    login = claim[2] if claim and claim[0] == user.id else None
    count = claimed_vote((user.id, user.session_token, login), question_id, vote)
    if count is None:
        db.session.rollback()
        _refuse_vote(question_id, vote)
    return count


def claimed_vote(claim, question_id, vote):
    """The vote of the user a session claims to be, (user id, session token, session row id); the count
    after it, or None.

    One statement writes the vote and reads the count (forum.qa.ballot.cast), only while the claim holds
    for a verified participant and the question is published in an open Q&A: a socket's vote needs no
    read of the user first. The question row is not touched, so votes never wait for each other:
    forum.qa.votes stores and broadcasts the counts a moment later. None: nothing changed, and
    set_vote, with the user loaded, says why.
    """
    session_id = votes.session_of(question_id)
    if session_id is None:
        return None
    user_id, token, login = claim
    count = ballot.cast(question_id, user_id, token, vote, login)
    if count is None:
        return None
    db.session.commit()
    votes.changed(session_id, question_id)
    return count


def _refuse_vote(question_id, vote):
    """Say why a vote changed nothing: no such question, closed Q&A, not open for votes, or repeated."""
    question = db.session.get(Question, question_id)
    if question is None:
        raise RuleViolation(_("There is no such question."), code="not_found")
    _require_open(question.session)
    if question.state != QuestionState.PUBLISHED:
        raise RuleViolation(_("This question is not open for votes."), code="not_votable")
    if vote:
        raise RuleViolation(_("You have already voted for this question."), code="already_voted")
    raise RuleViolation(_("You have not voted for this question."), code="not_voted")


def has_voted(user, question_ids):
    """The ids among `question_ids` the user has voted for."""
    if not user.is_authenticated or not question_ids:
        return set()
    query = select(QuestionVote.question_id).where(
        QuestionVote.user_id == user.id, QuestionVote.question_id.in_(question_ids)
    )
    return set(db.session.scalars(query))


def _require(user, question):
    """The question's session, or a RuleViolation unless `user` moderates it."""
    session = db.session.get(AgendaSession, question.session_id)
    if not allowed(user, "session.moderate", session):
        raise RuleViolation(_("Only the session's chairs and moderators may do this."), code="forbidden")
    return session


def _log(user, action, question, **changes):
    """The audit row of a moderator's action on a question."""
    audit.log(user, f"question.{action}", "question", question.id, question.body[:200], **changes)


def moderate(user, question, action):
    """Approve, dismiss, mark answered, highlight or clear the highlight of a question."""
    if action not in ACTIONS:
        raise RuleViolation(_("Unknown moderation action."), code="bad_request")
    session = _require(user, question)
    previous = session.highlighted_question_id
    handler = {
        "approve": _approve,
        "dismiss": _dismiss,
        "answer": _answer,
        "highlight": _highlight,
        "unhighlight": _unhighlight,
    }[action]
    name = handler(session, question)
    hooks.question_changed(question, name)
    _log(user, action, question)
    events = [record(room_of(session), name, {"question_id": question.id})]
    if previous not in (None, question.id) and session.highlighted_question_id != previous:
        # The highlight moved: the card that held it changes too.
        events.append(record(room_of(session), "question.highlighted", {"question_id": previous}))
    db.session.commit()
    publish_events(events)
    return question


def _approve(session, question):
    """A pending question is published."""
    if question.state != QuestionState.PENDING:
        raise RuleViolation(_("Only questions awaiting approval can be approved."), code="invalid_state")
    question.state = QuestionState.PUBLISHED
    return "question.created"


def _dismiss(session, question):
    """A pending or published question is dismissed; it leaves the highlight if it held it."""
    if question.state not in OPEN_QUESTION_STATES:
        raise RuleViolation(_("This question is already closed."), code="invalid_state")
    question.state = QuestionState.DISMISSED
    if session.highlighted_question_id == question.id:
        session.highlighted_question_id = None
    return "question.updated"


def _answer(session, question):
    """A published question is marked answered; it leaves the highlight."""
    if question.state != QuestionState.PUBLISHED or question.answered_at is not None:
        raise RuleViolation(_("Only open published questions can be marked answered."), code="invalid_state")
    question.answered_at = utcnow()
    if session.highlighted_question_id == question.id:
        session.highlighted_question_id = None
    return "question.answered"


def _highlight(session, question):
    """The question goes on the big screen, taking the place of the one there (one at a time)."""
    if question.state != QuestionState.PUBLISHED or question.answered_at is not None:
        raise RuleViolation(_("Only open published questions can be highlighted."), code="invalid_state")
    session.highlighted_question_id = question.id
    return "question.highlighted"


def _unhighlight(session, question):
    """The question leaves the big screen."""
    if session.highlighted_question_id != question.id:
        raise RuleViolation(_("This question is not highlighted."), code="invalid_state")
    session.highlighted_question_id = None
    return "question.highlighted"


def edit(user, question, body, language=None):
    """A moderator corrects a question's text and language ("" detects it, None keeps it); audited."""
    _require(user, question)
    if question.state not in OPEN_QUESTION_STATES:
        raise RuleViolation(_("This question is already closed."), code="invalid_state")
    body = clean_body(body)
    language = question.language if language is None else languages.choose(language, body)
    if body == question.body and language == question.language:
        return question
    before, after = audit.changes(
        {"body": question.body, "language": question.language}, {"body": body, "language": language}
    )
    _log(user, "edit", question, before=before, after=after)
    if body != question.body:
        question.body = body
        question.edited_at = utcnow()
        question.edited_by_id = user.id
    question.language = language
    event = record(room_of(question.session), "question.updated", {"question_id": question.id})
    db.session.commit()
    publish_events([event])
    return question


def set_language(user, question, language):
    """The asker, or a chair or moderator of the session, says which language a question is in."""
    session = db.session.get(AgendaSession, question.session_id)
    if getattr(user, "id", None) != question.author_id and not allowed(user, "session.moderate", session):
        raise RuleViolation(_("You may not change this question."), code="forbidden")
    language = languages.choose(language, question.body)
    if language != question.language:
        question.language = language
        event = record(room_of(session), "question.updated", {"question_id": question.id})
        db.session.commit()
        publish_events([event])
    return question


def merge(user, duplicate, target):
    """Merge a duplicate into another question of the session: voters of either count once on the target."""
    session = _require(user, duplicate)
    if target is None or target.session_id != duplicate.session_id or target.id == duplicate.id:
        raise RuleViolation(_("Choose another question of this session."), field="target", code="bad_target")
    if target.state != QuestionState.PUBLISHED or duplicate.state not in (
        QuestionState.PENDING,
        QuestionState.PUBLISHED,
    ):
        raise RuleViolation(_("Only open questions can be merged."), field="target", code="invalid_state")
    # Both rows locked in id order, as the count recomputation locks them: neither can deadlock the other.
    pair = sorted((duplicate.id, target.id))
    db.session.execute(
        select(Question.id).where(Question.id.in_(pair)).order_by(Question.id).with_for_update()
    )
    db.session.refresh(duplicate)
    if duplicate.state not in OPEN_QUESTION_STATES:
        db.session.rollback()
        raise RuleViolation(_("Only open questions can be merged."), field="target", code="invalid_state")
    # The duplicate keeps its votes: the target counts the voters of both, each once (forum.qa.votes).
    duplicate.state, duplicate.merged_into_id = QuestionState.MERGED, target.id
    db.session.flush()
    votes.recount([target.id])
    if session.highlighted_question_id == duplicate.id:
        session.highlighted_question_id = None
    db.session.refresh(target)
    _log(user, "merge", duplicate, after={"merged_into": target.id, "votes": target.vote_count})
    room = room_of(session)
    events = [
        record(room, "question.updated", {"question_id": duplicate.id}),
        record(room, "question.updated", {"question_id": target.id}),
    ]
    db.session.commit()
    publish_events(events)
    votes.changed(session.id, target.id)
    return target
