"""Q&A socket events: browsers ask, vote and moderate; the server answers {ok: true, ...} or an error.

Every handler reads the user's current role from the database (Flask-Login loads the user per event; a
vote checks it inside its own statement), is rate-limited per user, and calls the same services as the
no-JavaScript forms.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forum.accounts.models import session_claim
from forum.database import autocommitted
from forum.extensions import db, socketio
from forum.params import payload_id
from forum.policy import allowed, socket_requires
from forum.qa import questions
from forum.qa.models import AgendaSession, Question
from forum.realtime.events import error_reply, limited
from forum.rules import RuleViolation


def _id(payload, key):
    """A row id (a JSON number within the database's range) from the payload, or ValueError."""
    value = payload_id(payload, key)
    if value is None:
        raise ValueError(key)
    return value


def _question(payload):
    """The question the payload names, for a user who may read its session; else an error reply."""
    try:
        question = db.session.get(Question, _id(payload, "question_id"))
    except ValueError:
        return None, error_reply("bad_request", _("Send a question_id."))
    if question is None or not allowed(current_user, "read"):
        return None, error_reply("not_found", _("There is no such question."))
    return question, None


SIGN_IN = _l("Sign in to take part in the Q&A.")


def _signed_in():
    """An error reply for anonymous sockets, else None (for the vote, which checks its rule itself)."""
    if not allowed(current_user, "signed_in"):
        return error_reply("forbidden", str(SIGN_IN))
    return None


def _run(action):
    """Run a service call, turning a refusal into the structured error reply."""
    try:
        return {"ok": True, **action()}
    except RuleViolation as error:
        return {"ok": False, **error.as_dict()}


@socketio.on("question.ask")
@limited
@socket_requires("signed_in", SIGN_IN)
def on_ask(payload=None):
    """A participant asks {session_id, body, anonymous, language?}; the room hears `question.created`."""
    try:
        session = db.session.get(AgendaSession, _id(payload, "session_id"))
    except ValueError:
        return error_reply("bad_request", _("Send {session_id, body, anonymous}."))
    if session is None:
        return error_reply("not_found", _("There is no such session."))
    body, anonymous = payload.get("body"), payload.get("anonymous", False)
    language = payload.get("language")
    if not isinstance(body, str) or not isinstance(anonymous, bool) or not isinstance(language, str | None):
        return error_reply("bad_request", _("Send {session_id, body, anonymous}."))

    def ask():
        """The service call."""
        question = questions.ask(current_user, session, body, anonymous, language)
        return {"question_id": question.id, "state": question.state}

    return _run(ask)


@socketio.on("question.vote")
@autocommitted
@limited
@socket_requires("participate", handler_checks=True)
def on_vote(payload=None):
    """A participant votes {question_id, vote: true|false}; the room hears coalesced `question.voted`.

    Votes are the storm of a session, so a vote by a signed-in participant on an open question is one
    round trip to the database: one statement checks the user the session claims and the question as it
    writes the vote and counts (questions.claimed_vote), and commits by itself. Only a vote it did not
    take loads the user (Flask-Login), for the reason of the refusal.
    """
    claim = session_claim()
    refusal = None if claim else _signed_in()
    if refusal:
        return refusal
    try:
        question_id = _id(payload, "question_id")
    except ValueError:
        return error_reply("bad_request", _("Send a question_id."))
    vote = payload.get("vote", True)
    if not isinstance(vote, bool):
        return error_reply("bad_request", _("Send {question_id, vote} with vote true or false."))
    count = questions.claimed_vote(claim, question_id, vote) if claim else None
    if count is not None:
        return {"ok": True, "question_id": question_id, "voted": vote, "count": count}
    # Not taken: with the user loaded, the same rules say why (or take the vote, should it now be possible).
    refusal = _signed_in()
    if refusal:
        return refusal
    if not allowed(current_user, "read"):
        return error_reply("not_found", _("There is no such question."))
    return _run(
        lambda: {
            "question_id": question_id,
            "voted": vote,
            "count": questions.set_vote(current_user, question_id, vote),
        }
    )


@socketio.on("question.moderate")
@limited
@socket_requires("signed_in", SIGN_IN)
def on_moderate(payload=None):
    """A chair or moderator acts {question_id, action, body?, target_id?} on a question; the room hears it."""
    question, refusal = _question(payload)
    if refusal:
        return refusal
    action = payload.get("action")
    if action == "edit":
        body = payload.get("body")
        if not isinstance(body, str):
            return error_reply("bad_request", _("Send the new text as body."))
        return _run(lambda: {"question_id": questions.edit(current_user, question, body).id})
    if action == "merge":
        try:
            target = db.session.get(Question, _id(payload, "target_id"))
        except ValueError:
            return error_reply("bad_request", _("Send the question to merge into as target_id."))
        return _run(lambda: {"question_id": questions.merge(current_user, question, target).id})
    if action not in questions.ACTIONS:
        return error_reply("bad_request", _("Unknown moderation action."))
    return _run(lambda: {"question_id": questions.moderate(current_user, question, action).id})
