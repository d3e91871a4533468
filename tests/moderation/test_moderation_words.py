"""Watched words: whole words, any case, Unicode, never a pattern; managed by the secretariat."""

import pytest
from sqlalchemy import func, select

from forum.audit.models import AuditEntry
from forum.moderation import screening
from forum.moderation.models import WatchedWord


@pytest.mark.parametrize(
    ("word", "text", "found"),
    [
        ("lottery", "Win the LOTTERY now", True),
        ("lottery", "lotteryfund is a word", False),
        ("café", "Rendez-vous au CAFÉ.", True),
        ("café", "cafés", False),
        ("straße", "STRASSE", True),
        ("a.b", "axb", False),
        ("a.b", "see a.b here", True),
        ("(x)", "a (x) b", True),
        ("данные", "Большие ДАННЫЕ!", True),
        ("crypto giveaway", "crypto giveaways", False),
    ],
)
def test_matching(db, admin, word, text, found):
    screening.add_word(admin, word, "flag")
    assert bool(screening.matches(text)) is found


def test_adding_and_removing_words_is_audited(db, signed_in, admin):
    client = signed_in(admin)
    response = client.post("/admin/words", data={"word": "  Lottery  Prize ", "action": "block"})
    assert response.status_code == 303
    entry = db.session.scalar(select(WatchedWord))
    assert entry.word == "lottery prize" and entry.action == "block"
    assert "lottery prize" in client.get("/admin/words").text
    client.post(f"/admin/words/{entry.id}/delete")
    assert db.session.scalar(select(func.count()).select_from(WatchedWord)) == 0
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["word.add", "word.remove"]


@pytest.mark.parametrize(
    ("word", "action", "message"),
    [
        ("   ", "block", "Enter a word or phrase."),
        ("LOTTERY", "block", "“lottery” is already watched."),
        ("x" * 101, "block", "Watched words are limited to 100 characters."),
        ("fine", "explode", "Not a valid choice."),
    ],
)
def test_bad_words_are_refused_and_nothing_changes(db, signed_in, admin, word, action, message):
    screening.add_word(admin, "lottery", "flag")
    response = signed_in(admin).post("/admin/words", data={"word": word, "action": action})
    assert response.status_code == 422
    assert message in response.text
    assert db.session.scalars(select(WatchedWord.word)).all() == ["lottery"]


def test_removing_a_missing_word_says_so(db, signed_in, admin):
    response = signed_in(admin).post("/admin/words/42/delete", follow_redirects=True)
    assert "This watched word no longer exists." in response.text


def test_a_blocked_word_refuses_the_post_and_keeps_the_text(db, signed_in, admin, participant, make_thread):
    thread = make_thread()
    screening.add_word(admin, "scam", "block")
    response = signed_in(participant).post(
        f"/threads/{thread.id}/reply", data={"body": "Such a SCAM, really"}
    )
    assert response.status_code == 422
    assert "Your post contains words that are not allowed here: scam." in response.text
    assert "Such a SCAM, really</textarea>" in response.text


def test_a_blocked_word_refuses_an_edit(db, signed_in, admin, participant, make_thread):
    thread = make_thread(author=participant, body="Clean text")
    screening.add_word(admin, "scam", "block")
    response = signed_in(participant).post(f"/posts/{thread.first_post_id}/edit", data={"body": "a scam"})
    assert response.status_code == 422
    assert "not allowed here" in response.text


def test_a_blocked_word_refuses_a_new_title_beside_the_field(db, signed_in, admin, participant, make_thread):
    thread = make_thread(author=participant, title="Clean title")
    screening.add_word(admin, "casino bonus", "block")
    data = {"title": "Casino bonus inside", "kind": "discussion", "attribution": "record", "tags": ""}
    response = signed_in(participant).post(f"/threads/{thread.id}/edit", data=data)
    assert response.status_code == 422
    assert 'id="title-error"' in response.text and "casino bonus" in response.text
    assert db.session.get(type(thread), thread.id).title == "Clean title"
