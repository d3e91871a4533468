"""No account enumeration: sign-in and registration answer alike, after the same work, for any address."""

import re
import statistics
import time

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.mail.models import OutboxMessage
from tests.accounts.test_register import VALID

UNKNOWN = "nobody.here@example.org"


@pytest.fixture
def verifications(monkeypatch):
    """Count argon2 verifications: a list that grows by one per PasswordHasher.verify call."""
    calls = []
    real = PasswordHasher.verify

    def counted(self, hash_, password):
        """Record the call, then verify."""
        calls.append(hash_)
        return real(self, hash_, password)

    monkeypatch.setattr(PasswordHasher, "verify", counted)
    return calls


def sign_in(client, email):
    """Post the sign-in form with a wrong password."""
    return client.post("/login", data={"email": email, "password": "a wrong password"})


def test_an_unknown_address_costs_one_argon2_verification_like_a_known_one(app, participant, verifications):
    """Both answers run exactly one verification, with the configured costs; both say the same."""
    known = sign_in(app.test_client(), participant.email)
    assert len(verifications) == 1
    unknown = sign_in(app.test_client(), UNKNOWN)
    assert len(verifications) == 2
    assert verifications[0] == participant.password_hash
    # The dummy hash is made with the same parameters as real ones ($argon2id$v=19$m=…,t=…,p=…).
    assert verifications[1].rsplit("$", 2)[0] == participant.password_hash.rsplit("$", 2)[0]
    assert known.status_code == unknown.status_code == 422
    assert "Incorrect email address or password." in unknown.text
    assert without_tokens(known.text.replace(participant.email, "X")) == without_tokens(
        unknown.text.replace(UNKNOWN, "X")
    )


# argon2 dominates; the database does not matter, so SQLite alone.
@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize(
    "config_overrides", [{"ARGON2_COSTS": None, "LOGIN_LIMIT_PER_ACCOUNT": "99 per minute"}]
)
def test_sign_in_timing_with_production_costs(app, participant, record_property):
    """Medians of known and unknown addresses with argon2's production costs, reported (-s prints them).

    The assertion above counts verifications; timings on a shared machine are a figure, not a verdict,
    so this only checks they are of the same order (the unknown address took 3 % of the time before).
    """
    client = app.test_client()
    sign_in(client, UNKNOWN)  # the dummy hash is made at first use
    samples = {"known": [], "unknown": []}
    order = [("known", participant.email), ("unknown", UNKNOWN)]
    for _round in range(6):
        order.reverse()  # neither always goes first
        for kind, email in order:
            start = time.perf_counter()
            assert sign_in(client, email).status_code == 422
            samples[kind].append(time.perf_counter() - start)
    known, unknown = (statistics.median(samples[kind]) * 1000 for kind in ("known", "unknown"))
    difference = abs(known - unknown) / known * 100
    record_property("sign_in_ms", {"known": round(known, 1), "unknown": round(unknown, 1)})
    print(f"\nsign-in medians: known {known:.1f} ms, unknown {unknown:.1f} ms, difference {difference:.1f} %")
    assert unknown > known / 3


def without_tokens(text):
    """A page with its per-response CSP nonces and per-browser CSRF tokens blanked."""
    return re.sub(r'(nonce|value|content)="[\w.-]{20,}"', r'\1=""', text)


def answer(app, email, **changes):
    """Register from a fresh browser: (status, location, cookies set, the page the answer leads to)."""
    browser = app.test_client()
    response = browser.post("/register", data={**VALID, "email": email, **changes})
    page = browser.get(response.headers["Location"]) if response.status_code == 302 else response
    cookies = tuple(sorted(h.split("=", 1)[0] for h in response.headers.getlist("Set-Cookie")))
    return response.status_code, response.headers.get("Location"), cookies, without_tokens(page.text)


def test_registering_an_existing_address_answers_as_a_new_registration(app, db, participant):
    """Same status, same redirect, no cookie either way, the same page and words."""
    existing = answer(app, participant.email.upper())
    new = answer(app, "someone.new@example.org")
    assert existing == new
    status, location, cookies, page = new
    assert (status, location, cookies) == (302, "/register/sent", ())
    assert "Check your mail" in page
    assert "already exists" not in page
    assert db.session.scalar(select(func.count()).select_from(User)) == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"password": "password123", "confirm": "password123"}, "too common"), ({"country": ""}, "must give")],
)
def test_mistakes_are_answered_alike_for_existing_and_new_addresses(app, participant, changes, message):
    """The other checks come first, so a refusal never depends on whether the address is registered."""
    existing = answer(app, participant.email, **changes)
    new = answer(app, "someone.new@example.org", **changes)
    assert existing[0] == new[0] == 422
    assert message in existing[3]
    assert existing[3].replace(participant.email, "X") == new[3].replace("someone.new@example.org", "X")


def test_the_owner_of_the_address_is_mailed_and_the_account_is_untouched(app, db, participant):
    """The owner hears of the attempt, with the ways back in; nothing of the account changes."""
    before = (participant.name, participant.password_hash, participant.stakeholder_group)
    answer(app, participant.email)
    [mail] = db.session.scalars(select(OutboxMessage)).all()
    assert (mail.to_address, mail.kind, mail.essential) == (participant.email, "registration_attempted", True)
    assert mail.subject == "Someone tried to register with your address on the Dialogue Forum"
    assert "tried to register on the Dialogue Forum with your email address" in mail.text_body
    assert "http://localhost/login" in mail.text_body
    assert "http://localhost/forgot-password" in mail.text_body
    assert 'href="http://localhost/forgot-password"' in mail.html_body
    assert VALID["password"] not in mail.text_body + mail.html_body
    db.session.refresh(participant)
    assert (participant.name, participant.password_hash, participant.stakeholder_group) == before


def test_the_owner_gets_three_such_mails_a_day_at_most(app, db, participant):
    """Repeated attempts do not flood the owner's mailbox; the visitor's answer stays the same."""
    answers = {answer(app, participant.email) for _attempt in range(4)}
    assert len(answers) == 1
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 3


def test_the_owner_mail_is_in_the_owners_language(app, db, make_user):
    """Rendered in the owner's language, whatever the visitor's."""
    owner = make_user(locale="fr")
    answer(app, owner.email)
    mail = db.session.scalar(select(OutboxMessage))
    assert mail.language == "fr"
