"""A vote, and the question's count after it, in one statement each way.

Votes are the storm of a session, and each statement more costs a round trip to the database. The count
a statement returns is the voter's own answer; forum.qa.votes stores and broadcasts the counts.
"""

from sqlalchemy import bindparam, text

from forum.database import UTCDateTime, utcnow
from forum.extensions import db
from forum.qa import signals
from forum.qa.models import QaState, QuestionState
from forum.qa.services import PARTICIPANT_ROW

# The same SQL on PostgreSQL and SQLite. Plain SQL: building the vote's count as an ORM statement on
# every vote once cost a third of a process's CPU (py-spy, bench/vote_storm.py).
# The vote is written only by a signed-in participant, while the question is published in an open Q&A:
# the statement checks the user too, so that a vote needs no read of the user first.
_VOTABLE = (
    "EXISTS (SELECT 1 FROM question q JOIN agenda_session s ON s.id = q.session_id"  # noqa: S608 - constants
    f" WHERE q.id = :question AND q.state = '{QuestionState.PUBLISHED}' AND s.qa_state = '{QaState.OPEN}')"
    f" AND {PARTICIPANT_ROW}"
)
# The count leaves the voter out, then adds them back when they voted: it is the same whether the
# statement's subquery sees the row just written or deleted (SQLite) or the rows before it (PostgreSQL).
_OTHERS = (
    "(SELECT count(DISTINCT v.user_id) FROM question_vote v JOIN question q ON q.id = v.question_id"
    " WHERE (q.id = :question OR q.merged_into_id = :question) AND v.user_id <> :user)"
)
_STILL_VOTED = (
    "CASE WHEN EXISTS (SELECT 1 FROM question_vote v JOIN question q ON q.id = v.question_id"
    " WHERE v.user_id = :user AND q.merged_into_id = :question) THEN 1 ELSE 0 END"
)
ADD = text(
    "INSERT INTO question_vote (question_id, user_id, created_at) SELECT :question, :user, :now"
    f" WHERE {_VOTABLE} ON CONFLICT DO NOTHING RETURNING {_OTHERS} + 1"
).bindparams(bindparam("now", type_=UTCDateTime))
WITHDRAW = (
    text(
        "DELETE FROM question_vote WHERE question_id = :question AND user_id = :user"  # noqa: S608 - constants
        f" AND {_VOTABLE} RETURNING {_OTHERS} + {_STILL_VOTED}, created_at"
    )
    .bindparams(bindparam("now", type_=UTCDateTime))
    # The withdrawn vote's time, read as the model's (SQLite hands back text): its day leaves the tally.
    .columns(created_at=UTCDateTime)
)


def cast(question_id, user_id, token, vote, login=None):
    """Add (vote=True) or withdraw a user's vote; the question's count after it, or None when nothing changed.

    `token` is the session token the user signed in with, `login` the id of the session's row (a session
    signed out from the sessions page may vote no more). None means the user is not (or no longer) a
    signed-in participant, the question is not open for votes, or the vote is already there (or not
    there); duplicates merged into the question count their voters, each voter once. The caller commits.
    """
    values = {"question": question_id, "user": user_id, "token": token, "login": login, "now": utcnow()}
    row = db.session.execute(ADD if vote else WITHDRAW, values).first()
    if row and not vote:
        # A vote of an earlier day leaves that day's count: the dashboard's tally learns of it.
        signals.vote_withdrawn.send(db.session, cast_at=row[1])
    return row[0] if row else None
