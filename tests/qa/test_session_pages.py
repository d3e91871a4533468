"""Session pages: agenda details, times in Geneva, the presenter screen, exports after the session."""

import re
from datetime import timedelta

from forum.database import utcnow
from forum.extensions import db
from forum.qa import questions, speakers
from tests.conftest import Auth
from tests.qa.conftest import stored_votes


def test_session_page_shows_details_and_the_sorting_rule(client, make_session, make_user, make_theme):
    chair = make_user(role="chair", name="Keiko Chair")
    theme = make_theme(name="AI standards")
    session = make_session(chairs=[chair], speakers="Minister for ICT\nDirector of standards")
    session.themes = [theme]
    db.session.commit()
    page = client.get(f"/programme/{session.slug}").text
    assert (
        "Keiko Chair" in page and "Minister for ICT, Director of standards" in page and "AI standards" in page
    )
    assert "Geneva time (UTC" in page and "data-local-time" in page
    page = client.get(f"/programme/{session.slug}?sort=balanced").text
    assert "stakeholder groups take turns" in page


def test_presenter_screen_shows_highlight_top_questions_and_speaker(client, make_session, make_user, admin):
    session = make_session()
    top = questions.ask(make_user(), session, "Which question leads?")
    questions.set_vote(make_user(), top.id, True)
    highlighted = questions.ask(make_user(), session, "On the big screen?")
    questions.moderate(admin, highlighted, "highlight")
    slot = speakers.request_slot(make_user(name="Speaker Person"), session, "Republic of Chile", "es", 4)
    speakers.decide(admin, slot, True)
    speakers.start(admin, slot)
    page = client.get(f"/programme/{session.slug}/screen").text
    assert "On the big screen?" in page and "Which question leads?" in page
    assert "Speaker Person" in page and "Republic of Chile" in page and "data-ends-at" in page
    assert "<form" not in page and "<button" not in page
    fragment = client.get(f"/programme/{session.slug}/screen/now")
    assert fragment.headers["Cache-Control"] == "no-store" and "On the big screen?" in fragment.text


def test_exports_open_after_the_session(client, make_session, make_user, moderator):
    session = make_session()
    question = questions.ask(make_user(), session, "=HYPERLINK(1) exported?")
    questions.set_vote(make_user(), question.id, True)
    assert stored_votes(question.id, 1) == 1
    assert client.get(f"/programme/{session.slug}/questions.csv").status_code == 404
    Auth(client).login(moderator)
    assert client.get(f"/programme/{session.slug}/questions.csv").status_code == 200
    Auth(client).logout()
    session.ends_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    csv_text = client.get(f"/programme/{session.slug}/questions.csv").text
    assert csv_text.splitlines()[0] == "Question,Asked by,Votes,State,Answered,Asked at"
    assert "'=HYPERLINK(1) exported?" in csv_text
    summary = client.get(f"/programme/{session.slug}/summary.md")
    assert summary.mimetype == "text/markdown"
    assert summary.text.startswith(f"# {session.title}") and "1 vote" in summary.text
    assert client.get(f"/programme/{session.slug}/speakers.csv").status_code == 200


def test_chair_opens_and_closes_the_qa(client, make_session, make_user, participant):
    chair = make_user(role="chair")
    session = make_session(qa_state="closed", chairs=[chair])
    Auth(client).login(participant)
    data = {"qa_state": "open", "moderation_mode": "pre"}
    assert client.post(f"/programme/{session.slug}/settings", data=data).status_code == 403
    Auth(client).logout()
    Auth(client).login(chair)
    assert client.post(f"/programme/{session.slug}/settings", data=data).status_code == 303
    db.session.refresh(session)
    assert session.qa_state == "open" and session.moderation_mode == "pre"


def test_an_empty_presenter_screen_says_so_once_without_a_numbered_item_or_stray_separators(
    client, make_session
):
    session = make_session()
    session.room = ""
    db.session.commit()
    page = client.get(f"/programme/{session.slug}/screen").text
    page = page[page.index("<body") :]
    assert '<p class="screen-empty">No questions yet.</p>' in page
    assert "<ol" not in page and not re.search(r"<li[ >]", page)
    assert "·" not in page and "screen-room" not in page
    assert 'id="screen-status" role="status"' in page
