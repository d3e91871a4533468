"""Questions keep the stakeholder group they were asked under, in the Q&A and on the presenter screen."""

from forum.accounts import editing
from forum.admin.services import decide_identity_change
from forum.qa import questions
from tests.conftest import Auth


def test_an_anonymous_question_keeps_the_askers_group(app, db, admin, participant, make_user, make_session):
    """The asker's accepted change of group does not relabel the questions asked before it."""
    session = make_session()
    question = questions.ask(participant, session, "How will audits of AI systems be funded?", anonymous=True)
    assert (question.written_group, question.written_country) == ("academia", "CH")
    data = {"name": participant.name, "handle": participant.handle, "job_title": None}
    change = editing.update_profile(
        participant,
        {**data, "stakeholder_group": "private_sector", "country": "CH", "organisation": "Acme AG"},
    )
    decide_identity_change(admin, change.id, "accepted")
    reader = app.test_client()
    Auth(reader).login(make_user(name="Rita Reader"))
    page = reader.get(f"/programme/{session.slug}").text
    asked = page[page.index("How will audits") :][:1500]
    assert "Asked anonymously" in asked and "Academia" in asked and "Private sector" not in asked
