"""The registration deadline is read in Geneva time: open at 23:59:59, closed one second later."""

from datetime import UTC, datetime

import pytest

from forum.accounts import services


@pytest.mark.parametrize(
    ("now_utc", "is_open"),
    [
        (datetime(2026, 6, 25, 21, 59, 59, tzinfo=UTC), True),  # 23:59:59 in Geneva (CEST)
        (datetime(2026, 6, 25, 22, 0, 0, tzinfo=UTC), False),  # midnight in Geneva
        (datetime(2026, 6, 25, 23, 30, 0, tzinfo=UTC), False),  # still 25 June in UTC, but too late
    ],
)
@pytest.mark.parametrize("config_overrides", [{"REGISTRATION_DEADLINE": "2026-06-25T23:59:59"}])
def test_deadline_boundary_in_geneva_time(app, monkeypatch, now_utc, is_open):
    monkeypatch.setattr(services, "utcnow", lambda: now_utc)
    assert services.registration_open() is is_open
