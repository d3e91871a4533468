"""Asking, voting and moderating questions: the rules, and a clear refusal that changes nothing."""

import pytest
from sqlalchemy import func, select

from forum.audit.models import AuditEntry
from forum.extensions import db
from forum.qa import listing, questions
from forum.qa.models import Question, QuestionVote
from forum.rules import RuleViolation
from tests.conftest import Auth
from tests.qa.conftest import stored_votes


def refused(code, call, *args):
    """Assert that the service refuses with `code`."""
    with pytest.raises(RuleViolation) as caught:
        call(*args)
    assert caught.value.code == code
    return caught.value


def test_participant_asks_and_bad_questions_are_refused(make_session, participant, pending_user):
    session = make_session()
    question = questions.ask(participant, session, "  What is the  role of ITU?  ")
    assert question.state == "published" and question.body == "What is the role of ITU?"
    refused("empty", questions.ask, participant, session, "   ")
    refused("too_long", questions.ask, participant, session, "x" * 301)
    assert questions.ask(participant, session, "y" * 300).body == "y" * 300
    refused("forbidden", questions.ask, pending_user, session, "May I ask?")
    refused("closed", questions.ask, participant, make_session(qa_state="closed"), "Too late?")
    refused("closed", questions.ask, participant, make_session(qa_state="archived"), "Too late?")
    assert db.session.scalar(select(func.count()).select_from(Question)) == 2


def test_the_form_keeps_the_text_and_says_why(client, make_session, participant):
    session = make_session()
    Auth(client).login(participant)
    response = client.post(f"/programme/{session.slug}/questions", data={"body": "z" * 301})
    assert response.status_code == 422
    assert "Questions are limited to 300 characters." in response.text
    assert "z" * 301 in response.text
    response = client.post(f"/programme/{session.slug}/questions", data={"body": "<b>Bold</b> question?"})
    assert response.status_code == 303
    page = client.get(f"/programme/{session.slug}").text
    assert "&lt;b&gt;Bold&lt;/b&gt; question?" in page and "<b>Bold</b>" not in page


def test_votes_toggle_once_per_user(make_session, make_user, participant):
    session = make_session()
    question = questions.ask(make_user(), session, "Which standards matter most?")
    assert questions.set_vote(participant, question.id, True) == 1
    error = refused("already_voted", questions.set_vote, participant, question.id, True)
    assert "already voted" in error.message
    assert stored_votes(question.id, 1) == 1
    assert questions.set_vote(participant, question.id, False) == 0
    refused("not_voted", questions.set_vote, participant, question.id, False)
    assert stored_votes(question.id, 0) == 0
    assert db.session.scalar(select(func.count()).select_from(QuestionVote)) == 0


def test_no_votes_on_closed_sessions_or_dismissed_questions(make_session, make_user, participant, moderator):
    session = make_session()
    question = questions.ask(make_user(), session, "Can we vote?")
    questions.moderate(moderator, question, "dismiss")
    refused("not_votable", questions.set_vote, participant, question.id, True)
    other = questions.ask(make_user(), session, "And on this one?")
    session.qa_state = "closed"
    db.session.commit()
    refused("closed", questions.set_vote, participant, other.id, True)
    assert db.session.scalar(select(func.count()).select_from(QuestionVote)) == 0


def test_a_vote_on_a_question_gone_since_the_last_vote_is_refused(make_session, make_user, participant):
    session = make_session()
    question = questions.ask(make_user(), session, "Will this session stay?")
    question_id = question.id
    assert questions.set_vote(make_user(), question_id, True) == 1
    db.session.delete(session)
    db.session.commit()
    refused("not_found", questions.set_vote, participant, question_id, True)
    refused("not_found", questions.set_vote, participant, question_id + 1, True)
    assert db.session.scalar(select(func.count()).select_from(QuestionVote)) == 0


def test_vote_route_refusal_is_shown(client, make_session, make_user, participant, moderator):
    session = make_session()
    question = questions.ask(make_user(), session, "Is this open?")
    questions.moderate(moderator, question, "dismiss")
    Auth(client).login(participant)
    response = client.post(f"/questions/{question.id}/vote", data={"vote": "1"})
    assert response.status_code == 422
    assert "This question is not open for votes." in response.text


def test_the_page_after_a_vote_without_javascript_counts_it(client, make_session, make_user, participant):
    session = make_session()
    question = questions.ask(make_user(), session, "Counted at once?")
    Auth(client).login(participant)
    response = client.post(f"/questions/{question.id}/vote", data={"vote": "1"}, follow_redirects=True)
    assert f'data-vote-count="{question.id}">1<' in response.text
    response = client.post(f"/questions/{question.id}/vote", data={"vote": "0"}, follow_redirects=True)
    assert f'data-vote-count="{question.id}">0<' in response.text


def test_moderators_and_the_session_chairs_moderate(make_session, make_user, participant, moderator):
    chair = make_user(role="chair")
    other_chair = make_user(role="chair")
    session = make_session(moderation_mode="pre", chairs=[chair])
    question = questions.ask(participant, session, "Pending until approved?")
    assert question.state == "pending"
    refused("forbidden", questions.moderate, participant, question, "approve")
    refused("forbidden", questions.moderate, other_chair, question, "approve")
    questions.moderate(chair, question, "approve")
    assert question.state == "published"
    refused("invalid_state", questions.moderate, moderator, question, "approve")
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions == ["question.approve"]


def test_one_highlight_at_a_time_and_highlighting_another_moves_it(make_session, make_user, moderator):
    session = make_session()
    first = questions.ask(make_user(), session, "First question?")
    second = questions.ask(make_user(), session, "Second question?")
    questions.moderate(moderator, first, "highlight")
    assert session.highlighted_question_id == first.id
    questions.moderate(moderator, second, "highlight")
    assert session.highlighted_question_id == second.id
    refused("invalid_state", questions.moderate, moderator, first, "unhighlight")
    questions.moderate(moderator, second, "answer")
    assert second.answered_at is not None and session.highlighted_question_id is None
    refused("invalid_state", questions.moderate, moderator, second, "highlight")
    questions.moderate(moderator, first, "highlight")
    questions.moderate(moderator, first, "unhighlight")
    assert session.highlighted_question_id is None


def test_edit_is_recorded(make_session, make_user, moderator):
    question = questions.ask(make_user(), make_session(), "Waht about data?")
    questions.edit(moderator, question, "What about data?")
    assert question.body == "What about data?" and question.edited_by_id == moderator.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "question.edit"))
    assert entry.before == {"body": "Waht about data?"} and entry.after == {"body": "What about data?"}
    refused("too_long", questions.edit, moderator, question, "x" * 301)
    assert question.body == "What about data?"


def test_merge_counts_each_voter_once(make_session, make_user, moderator):
    session = make_session()
    target = questions.ask(make_user(), session, "How is compute shared?")
    duplicate = questions.ask(make_user(), session, "How do we share compute?")
    both, only_target, only_duplicate = make_user(), make_user(), make_user()
    for voter in (both, only_target):
        questions.set_vote(voter, target.id, True)
    for voter in (both, only_duplicate):
        questions.set_vote(voter, duplicate.id, True)
    questions.merge(moderator, duplicate, target)
    assert target.vote_count == 3
    assert duplicate.state == "merged" and duplicate.merged_into_id == target.id
    # The united count stays exact as voting goes on: a new voter adds one, a voter of both adds nothing.
    assert questions.set_vote(make_user(), target.id, True) == 4
    assert questions.set_vote(only_duplicate, target.id, True) == 4
    assert stored_votes(target.id, 4) == 4
    # Withdrawing counts the same way: a voter of the duplicate still counts once, a voter of the target
    # alone no longer counts.
    assert questions.set_vote(only_duplicate, target.id, False) == 4
    assert questions.set_vote(only_target, target.id, False) == 3
    assert stored_votes(target.id, 3) == 3
    refused("not_votable", questions.set_vote, make_user(), duplicate.id, True)
    refused("bad_target", questions.merge, moderator, target, target)


def test_balanced_order_interleaves_groups(make_session, make_user):
    session = make_session()
    academics = [make_user(stakeholder_group="academia") for _ in range(3)]
    ngo = make_user(stakeholder_group="civil_society")
    state = make_user(stakeholder_group="member_state")
    asked = [questions.ask(a, session, f"Academic question {n}?") for n, a in enumerate(academics)]
    for n, question in enumerate(asked):
        question.vote_count = 10 - n
    civil = questions.ask(ngo, session, "Civil society question?")
    civil.vote_count = 2
    member = questions.ask(state, session, "Member State question?")
    member.vote_count = 1
    db.session.commit()
    popular = [q.body for q in listing.visible(ngo, session, "popular")]
    assert popular[:3] == ["Academic question 0?", "Academic question 1?", "Academic question 2?"]
    balanced = [q.author.stakeholder_group for q in listing.visible(ngo, session, "balanced")]
    assert balanced == ["academia", "civil_society", "member_state", "academia", "academia"]
    recent = [q.body for q in listing.visible(ngo, session, "recent")]
    assert recent[0] == "Member State question?"
