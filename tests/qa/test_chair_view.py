"""What a chair sees while running a session: the highlighted question on its own card with one toggle,
the order explained, the speaker's time left and the next speakers (live and on reload), and a silenced
participant told why they may not ask."""

import re
from datetime import timedelta

from forum.database import utcnow
from forum.extensions import db
from forum.moderation import sanctions
from forum.qa import questions, speakers
from tests.conftest import Auth
from tests.qa.conftest import follow, received


def card(page, question):
    """The list item of `question` on a session page."""
    start = page.index(f'id="question-{question.id}"')
    return page[page.rindex("<li", 0, start) : page.index("</li>", start)]


def test_the_highlight_is_marked_on_its_card_with_one_toggle_and_moves(
    app, client, socket_client, make_session, make_user
):
    chair = make_user(role="chair")
    session = make_session(chairs=[chair])
    first = questions.ask(make_user(), session, "First on the screen?")
    second = questions.ask(make_user(), session, "Second on the screen?")
    watcher, _ = follow(app, socket_client, chair, session)
    Auth(client).login(chair)
    client.post(f"/questions/{first.id}/moderate", data={"action": "highlight"})
    page = client.get(f"/programme/{session.slug}").text
    marked, other = card(page, first), card(page, second)
    assert "question-highlighted" in marked and "On the screen now" in marked
    assert 'value="unhighlight"' in marked and 'value="highlight"' not in marked
    assert "question-highlighted" not in other and "On the screen now" not in other
    assert 'value="highlight"' in other and 'value="unhighlight"' not in other

    received(watcher, "question.highlighted")
    client.post(f"/questions/{second.id}/moderate", data={"action": "highlight"})
    page = client.get(f"/programme/{session.slug}").text
    assert "question-highlighted" in card(page, second) and "question-highlighted" not in card(page, first)
    # Both cards change live: the one that took the screen and the one that left it.
    events = received(watcher, "question.highlighted")
    assert [e["question_id"] for e in events] == [second.id, first.id]
    assert all(e["highlighted_id"] == second.id for e in events)
    assert "question-highlighted" in events[0]["html"] and "question-highlighted" not in events[1]["html"]


def test_the_balanced_order_is_explained_in_one_line_and_the_checkbox_sits_by_its_label(
    client, make_session, participant
):
    session = make_session()
    Auth(client).login(participant)
    page = client.get(f"/programme/{session.slug}?sort=balanced").text
    (help_text,) = re.findall(r'<p class="help">(Balanced:[^<]*)</p>', page)
    assert help_text.count(".") == 1 and len(help_text) < 120
    assert re.search(
        r'<div class="field-check"><input [^>]*id="anonymous"[^>]*> <label for="anonymous">', page
    )
    assert "css/qa-live.css" in page


def test_the_speakers_page_shows_the_time_left_and_the_next_speakers(client, make_session, make_user):
    chair = make_user(role="chair")
    session = make_session(chairs=[chair])
    slots = []
    for org in ("Republic of Chile", "Kingdom of Tonga", "Academia Network", "Civil Society Forum"):
        slot = speakers.request_slot(make_user(), session, org, "en", 5)
        speakers.decide(chair, slot, True)
        slots.append(slot)
    Auth(client).login(chair)
    page = client.get(f"/programme/{session.slug}/speakers").text
    assert "Nobody has the floor." in page and 'role="timer"' not in page
    upcoming = page[page.index('class="next-speakers"') :]
    assert upcoming.index("Republic of Chile") < upcoming.index("Kingdom of Tonga")
    assert "Civil Society Forum" not in upcoming[: upcoming.index("</ol>")]

    speakers.start(chair, slots[0])
    slots[0].started_at = utcnow() - timedelta(seconds=90)
    db.session.commit()
    page = client.get(f"/programme/{session.slug}/speakers").text
    # Drawn on the server, so a page without script (or just reloaded) shows the right time.
    assert re.search(r'role="timer" data-ends-at="[^"]+" data-over="Time is up">3:(29|30)<', page)
    upcoming = page[page.index('class="next-speakers"') :]
    upcoming = upcoming[: upcoming.index("</ol>")]
    assert "Republic of Chile" not in upcoming
    assert upcoming.index("Kingdom of Tonga") < upcoming.index("Academia Network") < upcoming.index("Civil")

    slots[0].started_at = utcnow() - timedelta(minutes=6)
    db.session.commit()
    assert 'data-over="Time is up">Time is up<' in client.get(f"/programme/{session.slug}/speakers").text


def test_the_timer_and_next_speakers_reach_pages_live(app, socket_client, make_session, make_user):
    chair = make_user(role="chair")
    session = make_session(chairs=[chair])
    first = speakers.request_slot(make_user(), session, "Republic of Chile", "es", 4)
    second = speakers.request_slot(make_user(), session, "Kingdom of Tonga", "en", 3)
    speakers.decide(chair, first, True)
    speakers.decide(chair, second, True)
    chair_socket, _ = follow(app, socket_client, chair, session)
    speakers.start(chair, first)
    (started,) = received(chair_socket, "speakers.updated")
    assert re.search(r'id="speaker-timer"[^>]*>[34]:\d\d<', started["list_html"])
    after = started["list_html"][started["list_html"].index("Next speakers") :]
    assert "Kingdom of Tonga" in after[: after.index("</ol>")]


def test_a_silenced_participant_is_told_why_they_may_not_ask(client, make_session, moderator, participant):
    session = make_session()
    ends = utcnow() + timedelta(days=2)
    sanctions.sanction(moderator, participant, "silence", "Repeated off-topic questions", ends)
    Auth(client).login(participant)
    page = client.get(f"/programme/{session.slug}").text
    assert "A moderator has silenced your account until" in page
    assert "The reason given: Repeated off-topic questions" in page
    assert "Only verified participants may ask questions." not in page
    refused = client.post(f"/programme/{session.slug}/questions", data={"body": "May I?"})
    assert refused.status_code == 422 and "Repeated off-topic questions" in refused.text
