"""Hostile input on every route and socket event, on PostgreSQL: a 4xx or a structured error, never a
5xx, never a call without an answer, and the database still usable after a refused statement.

Every route of app.url_map and every Socket.IO event gets ids beyond 32 bits, odd numbers (non-ASCII
digits, negative, huge), NUL, invalid UTF-8 percent-escapes, long strings, right-to-left and invisible
marks and odd text (tests/core/fuzz_inputs.py) in its path, query, form and payload, on the demo data,
as a visitor, a participant, a moderator and the secretariat.
"""

import time

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from config import TestConfig
from forum import create_app, demo
from forum.accounts import sessions, twofactor
from forum.accounts.models import User
from forum.accounts.security_models import UserSession
from forum.extensions import db, socketio
from forum.qa.models import AgendaSession
from forum.threads.models import Theme
from tests.conftest import (
    IsolatedClient,
    IsolatedSocket,
    _vote_counts_settled,
    make_config,
    new_postgres_database,
)
from tests.core import fuzz_inputs as fuzz

pytestmark = pytest.mark.postgres

ROLES = ["visitor", "participant", "moderator", "admin"]
# Each call gets this long: the slowest page answers well within it even on a busy machine.
CALL_SECONDS = 10
# A report's PDF is made by WeasyPrint in a child process (forum.pdfs): seconds of work on a busy machine.
PDF_SECONDS = 90
# The routes are fuzzed in shards, each a test well within the per-test timeout.
SHARDS = 4


def seeded(generated):
    """Settings: explicit examples, then `generated` ones, seeded so that CI runs are reproducible."""
    return settings(
        max_examples=generated,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow],
    )


@pytest.fixture(scope="module")
def fuzzed():
    """The app on a PostgreSQL database of its own with the demo data; what exists in it; the cast."""
    with new_postgres_database("forum_fuzz") as url:
        app = create_app(
            make_config(
                SQLALCHEMY_DATABASE_URI=url,
                # Throttled events would answer before reaching the handlers under test.
                SOCKET_EVENT_LIMIT="1000000 per minute",
                MAIL_OUTBOX_DIR=TestConfig.MAIL_OUTBOX_DIR / "fuzz",
            )
        )
        app.test_client_class = IsolatedClient
        with app.app_context():
            db.create_all()
            demo.seed()
            names = [
                db.select(Theme.slug).limit(2),
                db.select(AgendaSession.slug).limit(2),
                db.select(User.handle).where(User.handle.is_not(None)).limit(2),
            ]
            known = {"int": ["1", "2"], "string": sorted(s for q in names for s in db.session.scalars(q))}
            cast = {
                role: db.session.scalar(
                    db.select(User.id).where(User.role == role, User.status == "verified").order_by(User.id)
                )
                for role in ROLES[1:]
            }
        yield app, known, cast
        with app.app_context():
            _vote_counts_settled(app)
            db.session.remove()
            db.engine.dispose()


def session_cookies(app, cast):
    """{role: session cookie or None}, each user's role and standing restored first: a fuzzed staff
    action (a role change, a suspension) must not leave the next route without its moderator."""
    cookies = {"visitor": None}
    serializer = app.session_interface.get_signing_serializer(app)
    with app.app_context():
        for role, user_id in cast.items():
            user = db.session.get(User, user_id)
            user.role, user.status, user.silenced_until, user.suspended_until = role, "verified", None, None
            # Signed in as the sign-in form leaves a session: dated, with an open session row, and for
            # staff a second factor given just now (a fuzzed sign-out or deletion must not outlast a route).
            user.session_token, user.password_hash, user.erased_at = f"fuzz-{role}", "!", None
            login = db.session.get(UserSession, f"fuzz-{role}") or UserSession(
                id=f"fuzz-{role}", user_id=user.id
            )
            login.ended_at = None
            db.session.add(login)
            now = int(time.time())
            cookies[role] = serializer.dumps(
                {
                    "_user_id": user.get_id(),
                    "_fresh": True,
                    sessions.SIGNED_IN: now,
                    sessions.SEEN: now,
                    sessions.SESSION_ID: login.id,
                    twofactor.METHOD: "totp",
                    twofactor.PROVEN_AT: now,
                }
            )
        db.session.commit()
    return cookies


def route_examples(index, rule, known):
    """The explicit examples of the route numbered `index`, as (role, path values, value of every field).

    Every kind of hostile value in every field, as the secretariat (whom no permission check stops) on
    existing rows; then one kind each, in the path as well, as a visitor, a participant and a moderator.
    The variants of each kind rotate from route to route.
    """
    existing = {name: values[0] for name, values in fuzz.existing_path_values(rule, known).items()}
    picks = [values[index % len(values)] for values in fuzz.GROUPS.values()]
    examples = [("admin", existing, value) for value in picks]
    for offset, role in enumerate(ROLES[:3]):
        value = picks[(index + offset) % len(picks)]
        examples.append((role, dict.fromkeys(existing, value), value))
    return examples


def fuzz_route(app, client, call, index, rule, method, known, cookies):
    """Send one route its examples; returns the 5xx answers, each with what caused it."""
    view = app.view_functions[rule.endpoint]
    names = fuzz.field_names(view)
    values = st.sampled_from([*fuzz.MIXED, *fuzz.literals(view)])
    paths = {
        name: st.sampled_from([*found, *fuzz.MIXED])
        for name, found in fuzz.existing_path_values(rule, known).items()
    }
    failures = []

    @seeded(2)
    @given(
        st.sampled_from(ROLES),
        st.fixed_dictionaries(paths),
        st.fixed_dictionaries(dict.fromkeys(names, values)),
    )
    def send(role, path_values, fields):
        """One request as `role`; `fields` is {name: value}, or one value for every field."""
        if not isinstance(fields, dict):
            fields = dict.fromkeys(names, fields)
        url = f"{fuzz.path_for(rule, path_values)}?{fuzz.urlencoded(fields)}"
        body = fuzz.urlencoded(fields) if method != "GET" else None
        if cookies[role]:
            client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookies[role])
        else:
            client.delete_cookie(app.config["SESSION_COOKIE_NAME"])
        response = call(
            f"{role} {method} {url[:300]}",
            client.open,
            url,
            method=method,
            data=body,
            content_type="application/x-www-form-urlencoded",
        )
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {role} {method} {url[:300]} body={(body or '')[:300]}")

    for role, path_values, value in route_examples(index, rule, known):
        send = example(role, path_values, value)(send)
    send()
    return failures


@pytest.mark.timeout(300)  # a shard with a report PDF route waits for WeasyPrint
@pytest.mark.parametrize("shard", range(SHARDS), ids=lambda n: f"shard{n + 1}of{SHARDS}")
def test_no_route_answers_hostile_input_with_a_server_error(fuzzed, shard):
    """Every route, with hostile path variables, query arguments and form fields, answers below 500."""
    app, known, cast = fuzzed
    client, call, failures = app.test_client(), fuzz.Bounded(CALL_SECONDS), []
    pdf_call = fuzz.Bounded(PDF_SECONDS)
    try:
        for index, (rule, method) in enumerate(fuzz.routes(app)):
            if index % SHARDS != shard:
                continue
            bounded = pdf_call if rule.rule.endswith(".pdf") else call
            failures += fuzz_route(
                app, client, bounded, index, rule, method, known, session_cookies(app, cast)
            )
            # A refused statement must not leave a broken connection in the pool.
            health = call("GET /healthz", client.get, "/healthz")
            assert health.status_code == 200, f"database unusable after {method} {rule.rule}"
    finally:
        call.close()
        pdf_call.close()
    assert not failures, "\n".join(failures)


def answered(reply):
    """Whether a handler answered with a result or a structured error of the client's making."""
    return isinstance(reply, dict) and "ok" in reply and reply.get("error") != "server_error"


def fuzz_event(app, client, call, sockets, event, handler):
    """Send one event its examples on sockets[0] (replaced when it closes); returns the failures."""
    keys = fuzz.payload_keys(handler)
    values = st.sampled_from([*fuzz.SOCKET_IDS, *fuzz.SOCKET_STRINGS, fuzz.DEEP, *fuzz.literals(handler)])
    names = st.just(event) if event != "*" else st.sampled_from(["no.such.event", "x\x00", "é" * 200])
    failures = []

    @seeded(6)
    @given(
        names,
        st.one_of(st.sampled_from(fuzz.ODD_PAYLOADS), st.fixed_dictionaries(dict.fromkeys(keys, values))),
    )
    def send(name, payload):
        """One event, then a subscribe on the same socket: both must answer."""
        if not sockets[0].is_connected():
            sockets[0] = call("connect", IsolatedSocket, app, client)
        sock = sockets[0]
        reply = call(f"{name} {payload!r:.300}", sock.emit, name, payload, callback=True)
        if not answered(reply):
            failures.append(f"{name} {payload!r:.300} -> {reply!r}")
        after = call("subscribe", sock.emit, "subscribe", {"room": "thread:1"}, callback=True)
        if not answered(after):
            failures.append(f"subscribe after {name} {payload!r:.300} -> {after!r}")
        sock.get_received()

    # Each malformed or out-of-range id, unstorable string and room name in every key at once.
    uniform = [dict.fromkeys(keys, value) for value in fuzz.SOCKET_UNIFORM] if keys else []
    for payload in [*uniform, *fuzz.ODD_PAYLOADS]:
        send = example("no.such.event" if event == "*" else event, payload)(send)
    send()
    return failures


@pytest.mark.parametrize("role", ROLES)
def test_no_socket_event_answers_hostile_payloads_with_a_server_error(fuzzed, role):
    """Every Socket.IO event, with hostile payloads, answers {ok, ...}; the socket keeps working after."""
    app, _known, cast = fuzzed
    client, call, failures = app.test_client(), fuzz.Bounded(CALL_SECONDS), []
    cookie = session_cookies(app, cast)[role]
    if cookie:
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    try:
        sockets = [call("connect", IsolatedSocket, app, client)]
        for event, handler in fuzz.socket_handlers(socketio).items():
            failures += fuzz_event(app, client, call, sockets, event, handler)
    finally:
        call.close()
    assert not failures, "\n".join(failures)
