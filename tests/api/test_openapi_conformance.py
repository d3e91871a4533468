"""Schemathesis against the API's own OpenAPI document, through the app's WSGI interface, on SQLite and
PostgreSQL: no 500s, and every response matches its documented status, media type and schema."""

import itertools

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from forum.qa import questions
from forum.threads import services as threads
from tests.api.conftest import bearer_for

# Generated requests per operation: enough for every parameter to vary, few enough for ~10 s a backend.
EXAMPLES = 4


@pytest.fixture
def config_overrides(tmp_path):
    """Rate limits out of the generated requests' way (tests/api/test_problems.py checks them)."""
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'api.db'}",
        "API_READ_LIMIT": "100000 per minute",
        "API_WRITE_LIMIT": "100000 per minute",
    }


def test_every_operation_answers_as_documented(app, make_user, make_thread, make_session):
    author = make_user()
    thread = make_thread(author=author, attribution="chatham")
    threads.reply(make_user(), thread, "A reply.")
    questions.ask(author, make_session(), "Who audits the auditors?", anonymous=True)
    token = bearer_for(make_user(name="Schema Tester"))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation, mode in itertools.product(operations, GenerationMode):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
        def answers_as_documented(case):
            """A generated request (valid, or invalid and refused), checked against the document."""
            case.call_and_validate(headers=token)

        answers_as_documented()
