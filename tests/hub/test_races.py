"""Two reviewers deciding on one contribution at the same moment, on PostgreSQL's real row locks."""

import threading

import pytest
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.audit.models import AuditEntry
from forum.hub import decisions
from forum.hub.models import Contribution
from forum.rules import RuleViolation
from forum.threads.models import Thread


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"], indirect=False)
def test_simultaneous_decisions_apply_once(app, make_contribution, make_user, db):
    contribution_id = make_contribution().id
    reviewer_ids = [make_user(role="admin", name=f"Reviewer {n}").id for n in (1, 2)]
    start, outcomes = threading.Barrier(2), []

    def review(reviewer_id, decision):
        """One reviewer's request, in its own app context and database session."""
        with app.app_context():
            reviewer = db.session.get(User, reviewer_id)
            contribution = db.session.get(Contribution, contribution_id)
            start.wait()
            try:
                decisions.decide(reviewer, contribution, decision, "Not in scope.")
                outcomes.append(("done", decision))
            except RuleViolation as error:
                outcomes.append((error.code, error.message))
            finally:
                db.session.remove()

    workers = [
        threading.Thread(target=review, args=(reviewer_ids[0], "publish")),
        threading.Thread(target=review, args=(reviewer_ids[1], "reject")),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert sorted(code for code, _ in outcomes) == ["already_handled", "done"]
    told = next(message for code, message in outcomes if code == "already_handled")
    assert "Reviewer" in told
    db.session.expire_all()
    state = db.session.get(Contribution, contribution_id).state
    assert state in ("published", "rejected")
    assert db.session.scalar(select(func.count()).where(AuditEntry.action.like("hub.%"))) == 1
    assert db.session.scalar(select(func.count()).select_from(Thread)) == (1 if state == "published" else 0)
