"""The language of each question: detected or chosen, changed by its asker, rendered and filtered on."""

import pytest
from sqlalchemy import select

from forum.audit.models import AuditEntry
from forum.extensions import db
from forum.qa import listing, questions
from forum.qa.models import Question
from forum.rules import RuleViolation
from tests.conftest import Auth
from tests.qa.conftest import received

ES = "¿Cómo participarán los países en desarrollo en la elaboración de las normas?"
FR = "Comment les pays en développement participeront-ils à l'élaboration des normes ?"
EN = "How will developing countries take part in drafting the standards?"
ZH = "发展中国家将如何参与标准的制定工作？"


def test_asking_detects_or_keeps_the_chosen_language(make_session, participant):
    session = make_session()
    assert questions.ask(participant, session, ES).language == "es"
    assert questions.ask(participant, session, ZH).language == "zh"
    assert questions.ask(participant, session, EN, language="fr").language == "fr"
    assert questions.ask(participant, session, "Why?").language is None
    with pytest.raises(RuleViolation) as refused:
        questions.ask(participant, session, EN, language="xx")
    assert refused.value.field == "language"
    assert db.session.scalar(select(Question.id).where(Question.language == "xx")) is None


def test_the_ask_form_sends_the_language(client, auth, make_session, participant):
    session = make_session()
    auth.login(participant)
    client.post(f"/programme/{session.slug}/questions", data={"body": EN, "language": "ar"})
    assert db.session.scalar(select(Question.language)) == "ar"


def test_the_asker_changes_the_language_and_others_may_not(client, make_session, participant, make_user):
    session = make_session()
    question = questions.ask(participant, session, EN)
    other = make_user()
    with pytest.raises(RuleViolation):
        questions.set_language(other, question, "fr")
    outsider = Auth(client)
    outsider.login(other)
    assert client.get(f"/questions/{question.id}/language").status_code == 403
    assert client.post(f"/questions/{question.id}/language", data={"language": "fr"}).status_code == 403
    outsider.logout()
    Auth(client).login(participant)
    page = client.get(f"/programme/{session.slug}").text
    assert f'href="/questions/{question.id}/language"' in page
    assert client.post(f"/questions/{question.id}/language", data={"language": "es"}).status_code == 303
    db.session.refresh(question)
    assert question.language == "es"


def test_a_moderator_corrects_text_and_language_on_the_record(make_session, participant, moderator):
    session = make_session()
    question = questions.ask(participant, session, EN)
    questions.edit(moderator, question, EN, "ru")
    assert question.language == "ru"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "question.edit"))
    assert entry.before == {"language": "en"} and entry.after == {"language": "ru"}
    questions.edit(moderator, question, FR)
    assert question.language == "ru"


def test_the_session_page_filters_by_language_and_marks_it(client, make_session, participant):
    session = make_session()
    for body in (ES, FR, EN, ZH):
        questions.ask(participant, session, body)
    assert [q.body for q in listing.visible(participant, session, language="fr")] == [FR]
    page = client.get(f"/programme/{session.slug}?language=es&sort=recent").text
    assert ES in page and FR not in page and EN not in page
    assert 'data-language="es"' in page
    assert f'<p class="question-body" lang="es" dir="ltr">{ES}</p>' in page
    assert '<span class="lang-label">Spanish</span>' in page
    # The order links keep the filter, and the filter's links keep the order.
    assert f"/programme/{session.slug}?sort=popular&amp;language=es#qa" in page
    assert f'href="/programme/{session.slug}?sort=recent&amp;language=fr#qa"' in page
    assert f'href="/programme/{session.slug}?sort=recent#qa"' in page
    everything = client.get(f"/programme/{session.slug}").text
    assert all(body.replace("'", "&#39;") in everything for body in (ES, FR, EN, ZH))
    assert "No questions in this language yet." in client.get(f"/programme/{session.slug}?language=ar").text


def test_live_questions_carry_their_language_for_the_pages_filter(
    app, socket_client, make_session, participant
):
    session = make_session()
    client = app.test_client()
    Auth(client).login(participant)
    socket = socket_client(client)
    assert socket.emit("subscribe", {"room": f"session:{session.id}"}, callback=True)["ok"]
    socket.get_received()
    reply = socket.emit(
        "question.ask",
        {"session_id": session.id, "body": EN, "anonymous": False, "language": "zh"},
        callback=True,
    )
    assert reply["ok"], reply
    assert db.session.get(Question, reply["question_id"]).language == "zh"
    created = received(socket, "question.created")
    assert 'data-language="zh"' in created[0]["html"]
    bad = socket.emit("question.ask", {"session_id": session.id, "body": EN, "language": 3}, callback=True)
    assert bad["error"] == "bad_request"
