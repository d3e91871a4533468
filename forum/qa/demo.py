"""Demo data of the live Q&A: session chairs, speakers and themes, open Q&As with questions, statements."""

from sqlalchemy import select

from forum.accounts.services import find_by_email
from forum.extensions import db
from forum.qa import questions
from forum.qa.models import (
    AgendaSession,
    QaState,
    Question,
    QuestionState,
    QuestionVote,
    SlotState,
    SpeakerSlot,
)
from forum.threads.models import Theme

CHAIR = "chair@demo.dialogue.int"
# slug: (invited speakers, theme slugs, Q&A state, moderation mode)
DETAILS = {
    "opening": (
        "Secretary-General of ITU\nDirector-General of UNESCO",
        ["safe-trustworthy-ai"],
        QaState.CLOSED,
        "post",
    ),
    "cooperation": (
        "Minister for ICT, Kenya\nUnder-Secretary-General for Digital and Emerging Technologies",
        ["interoperability", "standards"],
        QaState.OPEN,
        "pre",
    ),
    "best-practices": (
        "Panel of national AI offices",
        ["transparency", "human-rights"],
        QaState.OPEN,
        "post",
    ),
    "capacity": ("Panel of development banks", ["ai-divides", "open-ai-ecosystems"], QaState.CLOSED, "post"),
    "high-level": ("", [], QaState.CLOSED, "post"),
}
QUESTIONS = [
    (
        "cooperation",
        "delegate.kenya@demo.dialogue.int",
        "How can developing countries take part in shaping international AI standards on equal terms?",
        False,
    ),
    (
        "cooperation",
        "ngo@demo.dialogue.int",
        "Will civil society have a seat in any follow-up mechanism of this Dialogue?",
        True,
    ),
    (
        "cooperation",
        "industry@demo.dialogue.int",
        "Which interoperability tools would help companies comply across jurisdictions?",
        False,
    ),
    (
        "best-practices",
        "researcher@demo.dialogue.int",
        "What made the most successful national AI sandboxes work?",
        False,
    ),
    # Questions in other official languages, for the Q&A's language filter.
    (
        "best-practices",
        "ngo@demo.dialogue.int",
        "¿Cómo garantizan los entornos de prueba regulatorios la participación de la sociedad civil?",
        False,
    ),
    (
        "best-practices",
        "delegate.kenya@demo.dialogue.int",
        "Quels indicateurs permettent de mesurer le succès d'un bac à sable réglementaire ?",
        False,
    ),
    ("best-practices", "researcher@demo.dialogue.int", "国际人工智能标准如何照顾发展中国家的需要？", False),
    (
        "best-practices",
        "industry@demo.dialogue.int",
        "Какие механизмы позволят странам обмениваться результатами испытаний систем ИИ?",
        False,
    ),
]
VOTERS = ["delegate.brazil@demo.dialogue.int", "researcher@demo.dialogue.int", "ngo@demo.dialogue.int"]
STATEMENTS = [
    ("delegate.kenya@demo.dialogue.int", "Republic of Kenya", "en", 3),
    ("delegate.brazil@demo.dialogue.int", "Federative Republic of Brazil", "es", 3),
    ("ngo@demo.dialogue.int", "Global Digital Rights Coalition", "fr", 2),
]


def seed_qa():
    """Add the Q&A demo records that are missing; returns how many sessions were filled in."""
    sessions = {s.slug: s for s in db.session.scalars(select(AgendaSession))}
    chair = find_by_email(CHAIR)
    moderator = find_by_email("moderator@demo.dialogue.int")
    made = 0
    for slug, (names, themes, _state, _mode) in DETAILS.items():
        session = sessions.get(slug)
        if session is None or session.chairs:
            continue
        session.chairs = [chair]
        session.speakers = names
        session.themes = list(db.session.scalars(select(Theme).where(Theme.slug.in_(themes))))
        session.qa_state, session.moderation_mode = QaState.OPEN, "post"
        made += 1
    db.session.commit()
    for slug, email, body, anonymous in QUESTIONS:
        session = sessions[slug]
        if db.session.scalar(select(Question.id).where(Question.body == body)) is None:
            question = questions.ask(find_by_email(email), session, body, anonymous)
            if question.state == QuestionState.PENDING:
                questions.moderate(moderator, question, "approve")
            # Votes written directly: demo data needs no live count broadcasts.
            voters = [find_by_email(v) for v in VOTERS[: len(body) % 3 + 1] if v != email]
            db.session.add_all(QuestionVote(question_id=question.id, user_id=v.id) for v in voters)
            question.vote_count = len(voters)
            db.session.commit()
    for slug, (_names, _themes, state, mode) in DETAILS.items():
        if slug in sessions:
            sessions[slug].qa_state, sessions[slug].moderation_mode = state, mode
    db.session.commit()
    high_level = sessions.get("high-level")
    if high_level is not None and not db.session.scalar(select(SpeakerSlot.id).limit(1)):
        # Written directly: the demo runs after the requests' deadline.
        for position, (email, behalf, language, minutes) in enumerate(STATEMENTS, start=1):
            approved = language != "fr"
            slot = SpeakerSlot(
                session_id=high_level.id,
                user=find_by_email(email),
                on_behalf_of=behalf,
                language=language,
                minutes=minutes,
                state=SlotState.APPROVED if approved else SlotState.REQUESTED,
                position=position if approved else 0,
            )
            db.session.add(slot)
        db.session.commit()
    return made
