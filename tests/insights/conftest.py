"""A small world with known counts: registrations from four regions, posts, questions, votes, statements
and a Hub entry, some of which must not count (held, dismissed, rejected, not delivered)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from forum.hub.models import Contribution
from forum.qa.models import AgendaSession, Question, QuestionVote, SpeakerSlot

DAY_ONE = datetime(2026, 7, 6, 9, 0, tzinfo=UTC)
DAY_TWO = datetime(2026, 7, 7, 9, 0, tzinfo=UTC)


@dataclass
class World:
    """The ids a test filters by."""

    ethics: object
    other: object
    session: object


def _question(db, session, author, at, **fields):
    """A question in `session` by `author`, as asked: with their group and country."""
    question = Question(
        session=session,
        author_id=author.id,
        body="What about audits?",
        created_at=at,
        written_group=author.stakeholder_group,
        written_country=author.country,
        **fields,
    )
    db.session.add(question)
    return question


@pytest.fixture
def world(app, db, make_user, make_theme, make_thread, make_post):
    """Verified: academia CH (WEOG), civil society KE (African), private sector without a country;
    pending: a Member State delegate of NP (Asia-Pacific, LDC and LLDC); rejected: academia FR."""
    from forum.threads.models import Post

    ch = make_user(stakeholder_group="academia", country="CH", name="Clara Swiss")
    ke = make_user(stakeholder_group="civil_society", country="KE", name="Kamau Kenyan")
    nowhere = make_user(stakeholder_group="private_sector", country=None, name="Nadia Nowhere")
    nepal = make_user(stakeholder_group="member_state", country="NP", status="pending", name="Pemba Pending")
    make_user(stakeholder_group="academia", country="FR", status="rejected", name="Rene Rejected")
    ethics, other = make_theme(name="Ethics"), make_theme(name="Other")
    # Day one, theme Ethics: a thread by CH, two replies by KE, a held reply by the pending delegate.
    first = make_thread(author=ch, theme=ethics)
    make_post(first, author=ke)
    make_post(first, author=ke)
    make_post(first, author=nepal)
    # Day two, theme Other, under the Chatham House Rule: a thread by KE, a reply by CH.
    second = make_thread(author=ke, theme=other, attribution="chatham")
    make_post(second, author=ch)
    for thread, at in ((first, DAY_ONE), (second, DAY_TWO)):
        thread.created_at = at
        for post in db.session.scalars(db.select(Post).where(Post.thread_id == thread.id)):
            post.created_at = at
    session = AgendaSession(slug="audits", title="Audits", starts_at=DAY_ONE, ends_at=DAY_TWO)
    session.themes.append(ethics)
    session.threads.append(first)
    db.session.add(session)
    asked = _question(db, session, ke, DAY_ONE, anonymous=True, answered_at=DAY_TWO)
    other_question = _question(db, session, ch, DAY_ONE)
    _question(db, session, ch, DAY_ONE, state="dismissed")
    db.session.flush()
    for question, voter in ((asked, ch), (asked, nowhere), (other_question, ke)):
        db.session.add(QuestionVote(question_id=question.id, user_id=voter.id, created_at=DAY_ONE))
    for speaker, minutes, state, language in (
        (ke, 5, "done", "fr"),
        (ch, 3, "done", "en"),
        (ch, 4, "approved", "en"),
    ):
        db.session.add(
            SpeakerSlot(
                session_id=session.id,
                user_id=speaker.id,
                on_behalf_of="Us",
                language=language,
                minutes=minutes,
                state=state,
                created_at=DAY_ONE,
            )
        )
    entry = Contribution(
        submitter_id=nowhere.id,
        kind="initiative",
        title="Compute pool",
        summary="Pooling.",
        description="Pool.",
        description_html="<p>Pool.</p>",
        lead_organisation="Acme",
        contact_email="pool@example.org",
        start_date=date(2026, 7, 1),
        state="published",
        published_at=DAY_TWO,
    )
    entry.themes.append(other)
    db.session.add(entry)
    db.session.commit()
    return World(ethics, other, session)
