"""The PostgreSQL connection budget (forum.connections): processes × (pool + overflow) + spare against
max_connections, and the settings that make it."""

import pytest

from config import production_problem
from forum.connections import SPARE, Budget

REQUIRED = {"SECRET_KEY": "k", "DATABASE_URL": "postgresql://x", "FORUM_DEPLOYMENT": "d", "MAIL_SERVER": "m"}


def test_the_documented_three_processes_do_not_fit_postgresql_defaults_and_the_error_says_what_to_do():
    budget = Budget(processes=3, pool_size=20, max_overflow=20, max_connections=100, reserved=3)
    assert budget.needed == 3 * 40 + SPARE and budget.available == 97
    problem = budget.problem()
    assert "FORUM_PROCESSES=3 × 40 (DATABASE_POOL_SIZE=20 + DATABASE_MAX_OVERFLOW=20)" in problem
    assert f"= {3 * 40 + SPARE} connections; PostgreSQL allows 97" in problem
    assert f"Raise max_connections to at least {3 * 40 + SPARE + 3}" in problem


def test_two_processes_fit_and_so_does_a_smaller_pool():
    assert (
        Budget(processes=2, pool_size=20, max_overflow=20, max_connections=100, reserved=3).problem() is None
    )
    assert (
        Budget(processes=3, pool_size=10, max_overflow=10, max_connections=100, reserved=3).problem() is None
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("FORUM_PROCESSES", "0"),
        ("FORUM_PROCESSES", "two"),
        ("DATABASE_POOL_SIZE", "-1"),
        ("DATABASE_MAX_OVERFLOW", "x"),
    ],
)
def test_a_malformed_count_is_a_clear_startup_error(name, value):
    assert name in production_problem({**REQUIRED, name: value})


def test_counts_are_optional():
    assert production_problem({**REQUIRED, "FORUM_PROCESSES": "4", "DATABASE_POOL_SIZE": "10"}) is None
