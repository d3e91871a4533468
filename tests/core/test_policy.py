"""The permission policy (forum.policy), taken from the app itself: every endpoint and socket event has a
rule, the guard and the handlers answer as the rule says for every role, and the thread and post rules
decide the pages, state by state. A new route, event or state cannot be left out of these tests."""

import re

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from forum import create_app
from forum.extensions import db as _db
from forum.extensions import socketio
from forum.policy import RULES, allowed, rule_of
from forum.states import PostState, ThreadState
from tests.api.conftest import bearer_for
from tests.conftest import PASSWORD, Auth, make_config

# What each role passes of the rules about roles: the policy's meaning, written out once by hand.
ROLE_RULES = {
    "visitor": {"anyone", "read"},
    "pending": {"anyone", "read", "signed_in", "post"},
    "participant": {"anyone", "read", "signed_in", "post", "participate"},
    "chair": {"anyone", "read", "signed_in", "post", "participate"},
    "moderator": {"anyone", "read", "signed_in", "post", "participate", "moderate", "insights"},
    "admin": {"anyone", "read", "signed_in", "post", "participate", "moderate", "insights", "administer"},
}
# Socket events whose handler applies its rule itself, and the tests that hold them to it.
HANDLER_CHECKED = {
    "connect": "tests/realtime/test_socket.py (a members-only site refuses anonymous sockets)",
    "question.vote": "tests/qa/test_votes.py (the vote's statement against the rule, role by role)",
}
LOGIN = re.compile(r"/login(\?|$)")


@pytest.fixture
def people(make_user):
    """A user of each role, and None for the visitor."""
    return {
        "visitor": None,
        "pending": make_user(status="pending"),
        "participant": make_user(),
        "chair": make_user(role="chair"),
        "moderator": make_user(role="moderator"),
        "admin": make_user(role="admin"),
    }


def client_of(app, user):
    """A test client signed in as `user` (a visitor's when None)."""
    client = app.test_client()
    if user is not None:
        assert Auth(client).login(user).status_code == 302
    return client


def role_rules():
    """The rules about roles, by name."""
    return {name for name, rule in RULES.items() if rule.about is None}


def test_every_role_rule_is_described_for_every_role():
    assert set().union(*ROLE_RULES.values()) <= role_rules()
    assert "anyone" in ROLE_RULES["visitor"]


def test_the_policy_passes_each_role_exactly_its_rules(people):
    for role, user in people.items():
        subject = user if user is not None else _visitor()
        passed = {name for name in role_rules() if allowed(subject, name)}
        assert passed == ROLE_RULES[role], role


def _visitor():
    """The anonymous user Flask-Login gives a visitor."""
    from flask_login import AnonymousUserMixin

    return AnonymousUserMixin()


def test_every_endpoint_declares_a_rule_about_roles(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    undeclared = sorted(endpoint for endpoint in endpoints if rule_of(app, endpoint) is None)
    assert undeclared == []
    assert {rule_of(app, endpoint) for endpoint in endpoints} <= role_rules()


def test_webhooks_and_calendars_declare_their_rules(app):
    """The webhook pages are the secretariat's; the calendar feeds are read as the programme is."""
    webhooks = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("webhooks.")}
    views = ("endpoints", "endpoint", "rotate_secret", "delete", "redeliver")
    assert webhooks == {f"webhooks.{view}" for view in views}
    assert {rule_of(app, endpoint) for endpoint in webhooks} == {"administer"}
    assert rule_of(app, "qa.programme_calendar") == rule_of(app, "qa.session_calendar") == "read"


def test_the_report_declares_its_rules(app):
    """The staff edition of the report is the dashboard's; the public one is read as the site is."""
    report = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("report.")}
    assert report == {"report.staff_page", "report.staff_pdf", "report.public_page", "report.public_pdf"}
    assert rule_of(app, "report.staff_page") == rule_of(app, "report.staff_pdf") == "insights"
    assert rule_of(app, "report.public_page") == rule_of(app, "report.public_pdf") == "read"


def test_an_endpoint_without_a_rule_is_refused():
    application = create_app(make_config())
    application.add_url_rule("/undeclared", "undeclared", lambda: "reached")
    with application.app_context():
        _db.create_all()
        response = application.test_client().get("/undeclared")
    assert response.status_code == 403
    assert "reached" not in response.get_data(as_text=True)


def _value(converter):
    """A value the converter takes that names no row: a number no row has, or a word."""
    if isinstance(converter, IntegerConverter):
        return 987_654
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return "nothing-here"


def _url(rule):
    """A URL of `rule` with a number no row has for each id and a word for each other part."""
    values = {name: _value(converter) for name, converter in rule._converters.items()}
    return rule.build(values, append_unknown=False)[1]


def _answer(client, rule, token=None):
    """The response to the endpoint: GET when it takes GET, else an empty POST; the API's with `token`
    (its Authorization header), as the API reads no cookie."""
    method = "GET" if "GET" in rule.methods else "POST"
    headers = token if rule.endpoint.startswith("api.") else None
    return client.open(_url(rule), method=method, headers=headers)


def _refused(response, signed_in):
    """Whether the response is the guard's refusal: to sign in for a visitor, 403 for a user (or 401
    from the API, whose token would not be taken)."""
    if signed_in:
        return response.status_code in (401, 403)
    return response.status_code == 401 or (
        response.status_code == 302 and LOGIN.search(response.headers["Location"]) is not None
    )


@pytest.mark.parametrize("public_read", [True, False], ids=["public", "members-only"])
def test_every_endpoint_answers_each_role_as_its_rule_says(app, people, public_read):
    app.config["PUBLIC_READ"] = public_read
    # Signing out last: it ends the session the other requests are made in.
    rules = sorted(
        (rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"),
        key=lambda rule: rule.endpoint == "accounts.logout",
    )
    for role, user in people.items():
        client, token = client_of(app, user), bearer_for(user)
        for url_rule in rules:
            name = rule_of(app, url_rule.endpoint)
            expected = name in ROLE_RULES[role] and (public_read or name != "read" or user is not None)
            response = _answer(client, url_rule, token)
            refused = _refused(response, user is not None)
            assert refused != expected, (role, url_rule.rule, name, response.status_code)


def _declared_events():
    """(event name, rule) of every socket handler the app registers."""
    return [(message, getattr(handler, "policy_rule", None)) for message, handler, _ in socketio.handlers]


def test_every_socket_event_declares_a_rule_about_roles(app):
    declared = _declared_events()
    assert declared, "no socket handlers found"
    assert [message for message, name in declared if name is None] == []
    assert {name for _message, name in declared} <= role_rules()


def test_every_socket_event_answers_each_role_as_its_rule_says(app, people, socket_client):
    events = [(message, name) for message, name in _declared_events() if message not in HANDLER_CHECKED]
    assert {"connect", "disconnect"} - {message for message, _ in _declared_events()} == set()
    for role, user in people.items():
        socket = socket_client(client_of(app, user))
        for message, name in events:
            if message in ("disconnect", "*"):
                continue
            reply = socket.emit(message, {}, callback=True)
            refused = isinstance(reply, dict) and reply.get("error") == "forbidden"
            assert refused != (name in ROLE_RULES[role]), (role, message, reply)
        unknown = socket.emit("no.such.event", {}, callback=True)
        assert unknown["error"] == "unknown_event"
        socket.disconnect()


# --- Threads and posts: the rules about things decide the pages ------------------------------------

POST_STATES = tuple(PostState)
# Every thread state but deleted (a thread is never hidden, only its posts: its CHECK constraint says so).
THREAD_STATES = tuple(state for state in ThreadState if state != ThreadState.DELETED)
# Rule -> the endpoint whose page or action it decides (GET unless POST only).
POST_PAGES = {
    "post.view": "threads.post",
    "post.edit": "threads.edit_post",
    "post.flag": "threads.flag",
    "post.endorse": "threads.endorse",
}
# Pages that say why an action is refused instead of offering its form.
FORM_PAGES = {"threads.reply"}
THREAD_PAGES = {
    "thread.view": "threads.thread",
    "thread.edit": "threads.edit_thread",
    "thread.reply": "threads.reply",
}


def _page_ok(client, app, endpoint, **values):
    """Whether the endpoint serves the user (2xx, or a redirect that is not to the sign-in page)."""
    url_rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    url = url_rule.build(values, append_unknown=False)[1]
    response = client.get(url) if "GET" in url_rule.methods else client.post(url, data={"endorse": "1"})
    if response.status_code == 302:
        return LOGIN.search(response.headers["Location"]) is None
    if endpoint in FORM_PAGES:
        # The page itself may explain a refusal (a locked thread); what the rule decides is the form.
        return response.status_code == 200 and f'action="{url}"' in response.get_data(as_text=True)
    return 200 <= response.status_code < 300


def _in_state(db, thing, state):
    """Put a post or thread in `state` as moderation would leave it."""
    thing.state = state
    db.session.commit()
    return thing


def test_post_rules_decide_the_post_pages_for_every_role_and_state(app, db, people, make_thread, make_post):
    author = people["participant"]
    thread = make_thread(author=people["admin"])
    posts = {state: _in_state(db, make_post(thread, author=author), state) for state in POST_STATES}
    cases = {**people, "author": author, "other": people["chair"]}
    for role, user in cases.items():
        client = client_of(app, user)
        subject = user if user is not None else _visitor()
        for state, post in posts.items():
            for name, endpoint in POST_PAGES.items():
                db.session.refresh(post)
                expected = allowed(subject, "post.view", post) and allowed(subject, name, post)
                assert _page_ok(client, app, endpoint, post_id=post.id) == expected, (role, state, name)
                if name == "post.endorse" and expected:
                    client.post(f"/posts/{post.id}/endorse", data={"endorse": "0"})


def test_the_post_rules_mean_what_the_trust_promises_say(db, people, make_thread, make_post):
    author, other, moderator = people["participant"], people["chair"], people["moderator"]
    thread = make_thread(author=people["admin"])
    held = _in_state(db, make_post(thread, author=author), "hidden")
    assert allowed(author, "post.view", held) and allowed(moderator, "post.view", held)
    assert not allowed(other, "post.view", held) and not allowed(_visitor(), "post.view", held)
    live = make_post(thread, author=author)
    assert allowed(author, "post.edit", live) and not allowed(other, "post.edit", live)
    assert allowed(other, "post.endorse", live) and not allowed(author, "post.endorse", live)
    assert not allowed(people["pending"], "post.flag", live)


def test_thread_rules_decide_the_thread_pages_for_every_role_and_state(app, db, people, make_thread):
    author = people["participant"]
    threads = {
        state: _in_state(db, make_thread(author=author, title=f"A {state} thread"), state)
        for state in THREAD_STATES
    }
    threads["locked"] = make_thread(author=author, title="A locked thread")
    threads["locked"].locked = True
    db.session.commit()
    for role, user in {**people, "author": author}.items():
        client = client_of(app, user)
        subject = user if user is not None else _visitor()
        for state, thread in threads.items():
            for name, endpoint in THREAD_PAGES.items():
                db.session.refresh(thread)
                expected = allowed(subject, "thread.view", thread) and allowed(subject, name, thread)
                assert _page_ok(client, app, endpoint, thread_id=thread.id) == expected, (role, state, name)


# --- Staff before their second factor: a participant's rights, on every page and socket event ------


def _without_second_factor(app, user):
    """A client signed in as staff `user` with the password only (the second factor not yet given)."""
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].startswith("/account/two-factor")
    return client


@pytest.mark.parametrize("role", ["chair", "moderator", "admin"])
def test_staff_without_a_second_factor_pass_only_a_participants_socket_rules(
    app, make_user, socket_client, role
):
    socket = socket_client(_without_second_factor(app, make_user(role=role)))
    for message, name in _declared_events():
        if message in HANDLER_CHECKED or message in ("disconnect", "*"):
            continue
        reply = socket.emit(message, {}, callback=True)
        refused = isinstance(reply, dict) and reply.get("error") == "forbidden"
        assert refused != (name in ROLE_RULES["participant"]), (role, message, reply)


def test_staff_without_a_second_factor_are_sent_to_give_it_from_every_staff_page(app, make_user):
    client = _without_second_factor(app, make_user(role="admin"))
    # The API reads no session cookie (a browser is a visitor there), and a staff token needs the
    # second factor first (tests/api/test_tokens.py).
    rules = sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if rule.endpoint != "static" and not rule.rule.startswith("/api/")
        ),
        key=lambda rule: rule.endpoint == "accounts.logout",
    )
    for url_rule in rules:
        name = rule_of(app, url_rule.endpoint)
        response = _answer(client, url_rule)
        if name in ROLE_RULES["participant"]:
            assert not _refused(response, signed_in=True), (url_rule.rule, name, response.status_code)
        else:
            location = response.headers.get("Location", "")
            assert location.startswith("/account/two-factor?next="), (
                url_rule.rule,
                name,
                response.status_code,
            )


# --- Key takeaways: the rules about them decide the synthesis pages --------------------------------

TAKEAWAY_STATES = ("draft", "review", "published")


def _takeaways_of_a_chaired_theme(db, people, make_theme):
    """A theme whose session the chair chairs, and a takeaway of it in each state."""
    from datetime import timedelta

    from forum.database import utcnow
    from forum.qa.models import AgendaSession
    from forum.synthesis.models import Takeaway

    theme = make_theme()
    start = utcnow()
    session = AgendaSession(
        slug="chaired", title="Chaired", starts_at=start, ends_at=start + timedelta(hours=1)
    )
    session.chairs, session.themes = [people["chair"]], [theme]
    takeaways = {
        state: Takeaway(theme=theme, author_id=people["moderator"].id, kind="best_practice", title=state,
                        body=state, body_html=state, language="en", state=state)
        for state in TAKEAWAY_STATES
    }  # fmt: skip
    db.session.add_all([session, *takeaways.values()])
    db.session.commit()
    return theme, takeaways


def test_takeaway_rules_decide_the_synthesis_pages_for_every_role_and_state(app, db, people, make_theme):
    from forum.synthesis.services import blank

    theme, takeaways = _takeaways_of_a_chaired_theme(db, people, make_theme)
    for role, user in people.items():
        client = client_of(app, user)
        subject = user if user is not None else _visitor()
        may_draft = allowed(subject, "takeaway.draft", blank(theme))
        assert _page_ok(client, app, "synthesis.workspace", slug=theme.slug) == may_draft, role
        assert _page_ok(client, app, "synthesis.new", slug=theme.slug) == may_draft, role
        for state, takeaway in takeaways.items():
            db.session.refresh(takeaway)
            expected = allowed(subject, "takeaway.view", takeaway) and allowed(
                subject, "takeaway.draft", takeaway
            )
            assert _page_ok(client, app, "synthesis.edit", takeaway_id=takeaway.id) == expected, (role, state)


def test_the_takeaway_rules_mean_what_the_workflow_promises(db, people, make_theme):
    _theme, takeaways = _takeaways_of_a_chaired_theme(db, people, make_theme)
    chair, moderator, participant = people["chair"], people["moderator"], people["participant"]
    draft, published = takeaways["draft"], takeaways["published"]
    assert allowed(chair, "takeaway.draft", draft) and allowed(chair, "takeaway.view", draft)
    assert not allowed(chair, "takeaway.publish", takeaways["review"])
    assert allowed(moderator, "takeaway.publish", takeaways["review"])
    assert not allowed(participant, "takeaway.view", draft) and not allowed(
        _visitor(), "takeaway.view", draft
    )
    assert allowed(_visitor(), "takeaway.view", published) and not allowed(
        participant, "takeaway.draft", published
    )


# --- The API refuses what the pages refuse --------------------------------------------------------

# Rule -> what the API does under it, on a post or a thread (with the body it sends).
POST_API = {
    "post.view": ("GET", "/api/v1/posts/{id}", None),
    "post.flag": ("POST", "/api/v1/posts/{id}/flags", {"reason": "spam"}),
}
THREAD_API = {
    "thread.view": ("GET", "/api/v1/threads/{id}", None),
    "thread.reply": ("POST", "/api/v1/threads/{id}/posts", {"body": "A reply through the API."}),
}


def _api_ok(client, token, action, thing_id):
    """Whether the API serves the caller (2xx) for `action` on the post or thread."""
    method, path, body = action
    response = client.open(path.format(id=thing_id), method=method, json=body, headers=token)
    return 200 <= response.status_code < 300


def test_post_rules_decide_the_api_for_every_role_and_state(app, db, people, make_thread, make_post):
    author = people["participant"]
    thread = make_thread(author=people["admin"])
    posts = {state: _in_state(db, make_post(thread, author=author), state) for state in POST_STATES}
    for role, user in {**people, "author": author, "other": people["chair"]}.items():
        client, token = app.test_client(), bearer_for(user)
        subject = user if user is not None else _visitor()
        for state, post in posts.items():
            for name, action in POST_API.items():
                db.session.refresh(post)
                expected = allowed(subject, "post.view", post) and allowed(subject, name, post)
                assert _api_ok(client, token, action, post.id) == expected, (role, state, name)


def test_thread_rules_decide_the_api_for_every_role_and_state(app, db, people, make_thread):
    author = people["participant"]
    threads = {
        state: _in_state(db, make_thread(author=author, title=f"A {state} thread"), state)
        for state in THREAD_STATES
    }
    threads["locked"] = make_thread(author=author, title="A locked thread")
    threads["locked"].locked = True
    db.session.commit()
    for role, user in {**people, "author": author}.items():
        client, token = app.test_client(), bearer_for(user)
        subject = user if user is not None else _visitor()
        for state, thread in threads.items():
            for name, action in THREAD_API.items():
                db.session.refresh(thread)
                expected = allowed(subject, "thread.view", thread) and allowed(subject, name, thread)
                assert _api_ok(client, token, action, thread.id) == expected, (role, state, name)
