"""The periodic check and `forum reconcile-votes`: stored counts that differ from the votes are corrected."""

from datetime import timedelta

from sqlalchemy import insert, update

from forum.database import utcnow
from forum.extensions import db
from forum.qa import questions, reconcile
from forum.qa.models import Question, QuestionVote
from tests.qa.conftest import follow, stored_votes
from tests.qa.test_vote_recovery import ended, heard


def left_behind(question, count, voters=(), at=None):
    """Votes written as the storm left them, and a stored count that a process never updated."""
    if voters:
        rows = [{"question_id": question.id, "user_id": v.id, "created_at": at or utcnow()} for v in voters]
        db.session.execute(insert(QuestionVote), rows)
    db.session.execute(update(Question).where(Question.id == question.id).values(vote_count=count))
    db.session.commit()


def test_the_check_finds_the_counts_that_differ_from_the_votes(app, make_session, make_user):
    """Open sessions always; a closed one when it had votes since the last check; all without one."""
    voters = [make_user() for _ in range(3)]
    week_ago = utcnow() - timedelta(days=7)
    live, closed = make_session(), make_session()
    exact = questions.ask(make_user(), live, "Counted right?")
    behind = questions.ask(make_user(), live, "Counted late?")
    target = questions.ask(make_user(), live, "Asked first?")
    duplicate = questions.ask(make_user(), live, "Asked again?")
    old = questions.ask(make_user(), closed, "Left from last week?")
    closed.qa_state = "closed"
    db.session.commit()
    left_behind(exact, 2, voters[:2])
    left_behind(behind, 0, voters[:1])
    # A duplicate's voters count for the question it was merged into, each voter once.
    left_behind(target, 2, voters[:2])
    left_behind(duplicate, 0, voters[1:])
    db.session.execute(update(Question).where(Question.id == duplicate.id).values(merged_into_id=target.id))
    left_behind(old, 5, voters[:1], at=week_ago)
    db.session.commit()

    def found(since):
        """The question ids the check would hand on."""
        return [question_id for _session, question_id in reconcile.stale(since)]

    assert found(None) == [behind.id, target.id, old.id]
    assert found(utcnow() - timedelta(minutes=1)) == [behind.id, target.id]
    assert found(week_ago - timedelta(minutes=1)) == [behind.id, target.id, old.id]
    db.session.rollback()


def test_the_command_recounts_stores_and_broadcasts_what_differs(
    app, runner, socket_client, make_session, make_user
):
    """`forum reconcile-votes` corrects the stored counts, readers hear them, and a second run finds none."""
    session = make_session()
    question = questions.ask(make_user(), session, "Left behind by a crash?")
    left_behind(question, 9, [make_user(), make_user()])
    reader, _ = follow(app, socket_client, make_user(), session)
    result = runner.invoke(args=["forum", "reconcile-votes"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Vote counts corrected: 1."
    assert stored_votes(question.id, 2) == 2
    heard(reader, question.id, 2)
    result = runner.invoke(args=["forum", "reconcile-votes"])
    assert result.output.strip() == "Vote counts corrected: 0."
    assert ended()
