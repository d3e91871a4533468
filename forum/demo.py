"""Demo data for `forum seed-demo`: the Dialogue's themes, a two-day agenda, users and threads."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from forum.accounts import services as accounts
from forum.accounts.models import User
from forum.database import utcnow
from forum.demo_texts import SESSIONS, THEMES
from forum.extensions import db
from forum.hub.demo import seed_hub
from forum.moderation.demo import seed_moderation
from forum.permissions import Role
from forum.qa.demo import seed_qa
from forum.qa.models import AgendaSession
from forum.states import AccountStatus
from forum.synthesis.demo import seed_synthesis
from forum.threads import services as threads
from forum.threads.models import Theme, Thread

DEMO_PASSWORD = "geneva-dialogue-2026"  # noqa: S105 - published demo credential, printed by make run
GENEVA = ZoneInfo("Europe/Zurich")

USERS = [
    {
        "email": "secretariat@demo.dialogue.int",
        "name": "Amina Diallo",
        "role": Role.ADMIN,
        "status": AccountStatus.VERIFIED,
        "stakeholder_group": "un_entity",
        "country": None,
        "organisation": "ITU Secretariat",
    },
    {
        "email": "moderator@demo.dialogue.int",
        "name": "Lucas Moreau",
        "role": Role.MODERATOR,
        "status": AccountStatus.VERIFIED,
        "stakeholder_group": "un_entity",
        "country": None,
        "organisation": "UNESCO",
    },
    {
        "email": "chair@demo.dialogue.int",
        "name": "Keiko Tanaka",
        "role": Role.CHAIR,
        "status": AccountStatus.VERIFIED,
        "stakeholder_group": "international_organisation",
        "country": None,
        "organisation": "ODET",
    },
    {
        "email": "delegate.kenya@demo.dialogue.int",
        "name": "Wanjiru Kamau",
        "role": Role.PARTICIPANT,
        "status": AccountStatus.VERIFIED,
        "stakeholder_group": "member_state",
        "country": "KE",
        "organisation": "Ministry of ICT and the Digital Economy",
    },
    {
        "email": "delegate.brazil@demo.dialogue.int",
        "name": "Rafael Souza",
        "role": Role.PARTICIPANT,
        "status": AccountStatus.VERIFIED,
        "stakeholder_group": "member_state",
        "country": "BR",
        "organisation": "Ministry of Science, Technology and Innovation",
    },
    {
        "email": "researcher@demo.dialogue.int",
        "name": "Priya Natarajan",
        "role": Role.PARTICIPANT,
        "status": AccountStatus.VERIFIED,
        "stakeholder_group": "academia",
        "country": "IN",
        "organisation": "Indian Institute of Technology Madras",
    },
    {
        "email": "ngo@demo.dialogue.int",
        "name": "Sofía Herrera",
        "role": Role.PARTICIPANT,
        "status": AccountStatus.VERIFIED,
        "stakeholder_group": "civil_society",
        "country": "CL",
        "organisation": "Derechos Digitales",
    },
    {
        "email": "industry@demo.dialogue.int",
        "name": "Jonas Becker",
        "role": Role.PARTICIPANT,
        "status": AccountStatus.VERIFIED,
        "stakeholder_group": "private_sector",
        "country": "DE",
        "organisation": "Sector Member Telecom AG",
    },
    {
        "email": "newcomer@demo.dialogue.int",
        "name": "Olena Kovalenko",
        "role": Role.PARTICIPANT,
        "status": AccountStatus.PENDING,
        "stakeholder_group": "technical_community",
        "country": "UA",
        "organisation": "Open Standards Lab",
    },
]

THREADS = [
    (
        "ai-divides",
        "delegate.kenya@demo.dialogue.int",
        "best_practice",
        "National AI compute sharing for universities",
        "Our ministry pooled GPU time across three public universities.\n\n**What worked:** a single "
        "application window and a public dashboard of allocations.",
        [("researcher@demo.dialogue.int", "How did you decide allocations between teaching and research?")],
    ),
    (
        "transparency",
        "ngo@demo.dialogue.int",
        "lesson_learned",
        "Public registers of algorithms used by the State",
        "Lessons from three years of a public algorithm register: keep entries short, and name a contact.",
        [
            (
                "delegate.brazil@demo.dialogue.int",
                "We are drafting a register too; the contact point idea is useful.",
            )
        ],
    ),
    (
        "standards",
        "industry@demo.dialogue.int",
        "question",
        "Which AI standards should procurement rules reference?",
        "Public buyers ask us which standards to cite. What have other administrations chosen?",
        [],
    ),
    # Threads in other official languages, so the language filters have something to show.
    (
        "human-rights",
        "ngo@demo.dialogue.int",
        "discussion",
        "Inteligencia artificial en las lenguas de todos los pueblos",
        "En nuestra región, la mayoría de los sistemas de IA funcionan mal en las lenguas indígenas.\n\n"
        "**Propuesta:** que los organismos públicos publiquen corpus abiertos y financien evaluaciones "
        "en cada lengua.",
        [
            (
                "delegate.kenya@demo.dialogue.int",
                "Nous partageons cette préoccupation : au Kenya, le swahili reste mal servi. Des corpus "
                "ouverts aideraient aussi les universités africaines.",
            ),
            (
                "researcher@demo.dialogue.int",
                "Our institute can share its evaluation method for such languages.",
            ),
        ],
    ),
    (
        "ai-divides",
        "secretariat@demo.dialogue.int",
        "question",
        "كيف نبني القدرات في مجال الذكاء الاصطناعي في البلدان النامية؟",
        "ندعو الدول الأعضاء وأصحاب المصلحة إلى تبادل تجاربهم في التدريب وفي إتاحة القدرة الحاسوبية "
        "للجامعات والإدارات العامة.",
        [
            (
                "researcher@demo.dialogue.int",
                "我们的经验是：先培训公共部门的技术人员，再与大学合作建立共享的算力平台。",
            ),
            (
                "industry@demo.dialogue.int",
                "Мы готовы предложить бесплатные учебные курсы по оценке рисков систем ИИ для "
                "государственных служащих.",
            ),
        ],
    ),
]


def _geneva(text):
    """A 'YYYY-MM-DD HH:MM' Geneva time as an aware datetime."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=GENEVA)


def _seed_users():
    """Create the demo users that are missing; returns how many were made."""
    made = 0
    for spec in USERS:
        if accounts.find_by_email(spec["email"]):
            continue
        user = accounts.create_user(
            dict(spec, password=DEMO_PASSWORD), status=spec["status"], role=spec["role"]
        )
        # Demo addresses cannot receive mail: they count as confirmed so that digests can be tried.
        user.email_confirmed_at = utcnow()
        made += 1
    db.session.commit()
    return made


def _english_only(stored, texts):
    """Whether a demo record still has only its English text, as the single-language demo wrote it."""
    return dict(stored) == {"en": texts["en"]}


def seed():
    """Create whatever demo records are missing; returns how many were made."""
    made = _seed_users()
    for position, (slug, name, description) in enumerate(THEMES):
        theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
        if theme is None:
            db.session.add(Theme(slug=slug, name=name, description=description, position=position))
            made += 1
        elif _english_only(theme.name, name):
            theme.name, theme.description = name, description
    for slug, title, description, start, end, room in SESSIONS:
        session = db.session.scalar(select(AgendaSession).where(AgendaSession.slug == slug))
        if session is None:
            db.session.add(
                AgendaSession(
                    slug=slug,
                    title=title,
                    description=description,
                    room=room,
                    starts_at=_geneva(start),
                    ends_at=_geneva(end),
                )
            )
            made += 1
        elif _english_only(session.title, title):
            session.title, session.description = title, description
    db.session.commit()
    made += seed_qa()
    for theme_slug, email, kind, title, body, replies in THREADS:
        if db.session.scalar(select(Thread).where(Thread.title == title)):
            continue
        theme = db.session.scalar(select(Theme).where(Theme.slug == theme_slug))
        author = db.session.scalar(select(User).where(User.email == email))
        thread = threads.create_thread(author, theme, title, kind, body)
        for reply_email, reply_body in replies:
            threads.reply(accounts.find_by_email(reply_email), thread, reply_body)
        made += 1
    made += seed_hub()
    made += seed_moderation()
    made += seed_synthesis()
    return made
