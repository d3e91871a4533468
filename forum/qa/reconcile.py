"""Vote counts converge on the stored votes: a periodic check in each server process, and a command.

question_vote is the truth; question.vote_count and the counts readers hear are copies, which
forum.qa.votes keeps a moment behind the votes and tries again while Redis or the database is
unreachable. A copy can still be left behind: a process ends (a restart, a crash) with counts it had not
stored or sent yet. Every VOTE_RECONCILE_SECONDS each server process compares the stored counts that may
have changed since its previous check with the votes, and hands those that differ to forum.qa.votes,
which recounts them under its row locks and broadcasts them. Several processes may check at once: a
recount is exact whoever runs it, and a session's claim keeps its broadcasts spaced and in order.
`flask --app wsgi forum reconcile-votes` checks every question, for an operator or a timer.
"""

import logging
from datetime import timedelta

from sqlalchemy import distinct, func, select, union

from forum import logging_setup
from forum.database import utcnow
from forum.extensions import db, socketio
from forum.qa import votes
from forum.qa.models import AgendaSession, QaState, Question, QuestionVote

# A check also looks this far back before the previous one: a vote is stamped by the clock of the process
# that took it (another machine's may run behind) and committed a moment after.
SLACK = timedelta(minutes=1)
log = logging.getLogger(__name__)


def stale(since=None):
    """(session id, question id) of the questions whose stored count differs from their voters.

    With `since`, only questions of open sessions, and of sessions with votes cast after `since` (closed
    since then), are checked; else every question. A question merged into another counts for it.
    """
    target = func.coalesce(Question.merged_into_id, Question.id)
    voters = select(target.label("question_id"), func.count(distinct(QuestionVote.user_id)).label("voters"))
    voters = voters.join(QuestionVote, QuestionVote.question_id == Question.id)
    query = select(Question.session_id, Question.id).where(Question.merged_into_id.is_(None))
    if since is not None:
        recent = select(Question.session_id).join(QuestionVote, QuestionVote.question_id == Question.id)
        sessions = union(
            select(AgendaSession.id).where(AgendaSession.qa_state == QaState.OPEN),
            recent.where(QuestionVote.created_at > since),
        )
        voters = voters.where(Question.session_id.in_(sessions))
        query = query.where(Question.session_id.in_(sessions))
    counted = voters.group_by(target).subquery()
    query = query.outerjoin(counted, counted.c.question_id == Question.id)
    query = query.where(Question.vote_count != func.coalesce(counted.c.voters, 0))
    return db.session.execute(query.order_by(Question.id)).all()


def reconcile(since=None):
    """Have the stale counts (see stale()) recounted, stored and broadcast; returns how many there were."""
    found = stale(since)
    db.session.rollback()
    for session_id, question_id in found:
        votes.changed(session_id, question_id)
    return len(found)


def _check(app):
    """The server process's periodic check; its first looks at every question (a restart may leave any)."""
    since = None
    while True:
        started = utcnow()
        with logging_setup.job_id(), app.app_context():
            try:
                found = reconcile(since)
                since = started - SLACK
                if found:
                    log.info("%s vote counts differed from the votes: recounting them", found)
            except Exception:  # the check must outlive a database blip; the next one looks back further
                log.exception("vote count check failed")
            finally:
                db.session.remove()
        socketio.sleep(app.config["VOTE_RECONCILE_SECONDS"])


def init_app(app):
    """Start the periodic check in a server process at its first request (never in the CLI or the tests)."""
    if not app.config["VOTE_RECONCILE_SECONDS"]:
        return

    @app.before_request
    def _start_check():
        """Once per process: the checking greenlet (a thread under the threading server)."""
        if not app.extensions.get("qa_vote_check"):
            app.extensions["qa_vote_check"] = socketio.start_background_task(_check, app)
