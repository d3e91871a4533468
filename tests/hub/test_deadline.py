"""The submission deadline, in Geneva time: before, at and after; progress continues afterwards."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from forum.hub import progress, services
from forum.hub.models import Contribution, ProgressUpdate
from forum.rules import RuleViolation


@pytest.fixture
def config_overrides():
    """The real deadline of the Dialogue: 19 June 2026, 23:59:59 in Geneva (CEST, UTC+2)."""
    return {"HUB_DEADLINE": "2026-06-19T23:59:59"}


def test_the_deadline_is_geneva_time(app):
    assert services.deadline() == datetime(2026, 6, 19, 21, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        (datetime(2026, 6, 1, 8, 0, tzinfo=UTC), True),
        (datetime(2026, 6, 19, 21, 59, 58, tzinfo=UTC), True),
        (datetime(2026, 6, 19, 21, 59, 59, tzinfo=UTC), True),
        (datetime(2026, 6, 19, 21, 59, 59, 500_000, tzinfo=UTC), False),
        (datetime(2026, 6, 19, 22, 0, 0, tzinfo=UTC), False),
        # 23:30 UTC is still 19 June in London but already 20 June, 01:30, in Geneva.
        (datetime(2026, 6, 19, 23, 30, tzinfo=UTC), False),
    ],
)
def test_open_before_and_at_the_deadline_closed_after(app, moment, open_):
    assert services.is_open(moment) is open_


def test_countdown(app):
    assert services.time_left(datetime(2026, 6, 17, 19, 58, tzinfo=UTC)) == (2, 2, 1)
    assert services.time_left(datetime(2026, 6, 19, 21, 59, 59, tzinfo=UTC)) == (0, 0, 0)
    assert services.time_left(datetime(2026, 6, 19, 22, 0, tzinfo=UTC)) is None


def test_after_the_deadline_nothing_is_submitted(participant, valid_data, db):
    with pytest.raises(RuleViolation) as refused:
        services.create(participant, valid_data(), submit=True)
    assert refused.value.code == "closed"
    assert db.session.scalar(select(func.count()).select_from(Contribution)) == 0


def test_after_the_deadline_the_pages_say_so(client, auth, participant, valid_data, db):
    listing = client.get("/hub/").get_data(as_text=True)
    assert "Submissions to the Partnerships Hub closed on Jun 19, 2026, 11:59" in listing
    assert "PM Geneva time (UTC+2)" in listing
    assert "Time left" not in listing
    auth.login(participant)
    assert "Submissions to the Partnerships Hub closed" in client.get("/hub/new").get_data(as_text=True)
    response = client.post("/hub/new", data={**valid_data(), "action": "submit"})
    assert response.status_code == 403
    assert "Submissions to the Partnerships Hub are closed." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Contribution)) == 0


def test_published_contributions_still_report_progress(app, make_contribution, monkeypatch, db):
    monkeypatch.setitem(app.config, "HUB_DEADLINE", "2099-06-19T23:59:59")
    contribution = make_contribution(state="published")
    draft = make_contribution(state="draft")
    monkeypatch.setitem(app.config, "HUB_DEADLINE", "2026-06-19T23:59:59")
    progress.add_progress(
        contribution.submitter, contribution, contribution.deliverables[0].id, "completed", "2026-11-01"
    )
    assert db.session.scalar(select(func.count()).select_from(ProgressUpdate)) == 1
    with pytest.raises(RuleViolation) as refused:
        services.edit(draft.submitter, draft, {}, submit=True)
    assert refused.value.code == "closed"
