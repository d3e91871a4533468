"""What a drafter may tick as a citation without pasting a link: the theme's latest public items."""

from flask_babel import gettext as _
from sqlalchemy import select

from forum.extensions import db
from forum.hub.models import Contribution, contribution_theme
from forum.qa.models import AgendaSession, Question, QuestionState, session_theme
from forum.states import ContributionState, PostState, ThreadState
from forum.synthesis import citations
from forum.threads.models import Post, Thread

# Per kind: enough to choose from on one page; anything older is cited by its link.
LATEST = 30


def _latest_keys(theme):
    """(kind, id) of the theme's latest public posts, questions and Hub entries."""
    posts = (
        select(Post.id)
        .join(Thread, Thread.id == Post.thread_id)
        .where(
            Thread.theme_id == theme.id,
            Thread.state == ThreadState.PUBLISHED,
            Post.state == PostState.PUBLISHED,
        )
        .order_by(Post.id.desc())
        .limit(LATEST)
    )
    questions = (
        select(Question.id)
        .join(session_theme, session_theme.c.session_id == Question.session_id)
        .where(session_theme.c.theme_id == theme.id, Question.state == QuestionState.PUBLISHED)
        .order_by(Question.id.desc())
        .limit(LATEST)
    )
    entries = (
        select(Contribution.id)
        .join(contribution_theme, contribution_theme.c.contribution_id == Contribution.id)
        .where(contribution_theme.c.theme_id == theme.id, Contribution.state == ContributionState.PUBLISHED)
        .order_by(Contribution.id.desc())
        .limit(LATEST)
    )
    return [
        (kind, target_id)
        for kind, query in (("post", posts), ("question", questions), ("contribution", entries))
        for target_id in db.session.scalars(query)
    ]


def _label(cited):
    """A checkbox's label: where the item is and how it starts (no author: it may be Chatham House)."""
    if not cited.available:
        return _(
            "%(kind)s no longer available (#%(id)s)",
            kind=citations.kind_label(cited.kind),
            id=cited.target_id,
        )
    return f"{citations.kind_label(cited.kind)}: {cited.title} — {cited.excerpt}"


def candidates(theme, current=()):
    """[(key, label)]: the current citations first, then the theme's latest public items."""
    pairs = list(dict.fromkeys([*current, *_latest_keys(theme)]))
    return [(cited.key, _label(cited)) for cited in citations.resolve(pairs)]


def sessions_for(theme):
    """The theme's sessions, in programme order."""
    query = (
        select(AgendaSession)
        .join(session_theme, session_theme.c.session_id == AgendaSession.id)
        .where(session_theme.c.theme_id == theme.id)
        .order_by(AgendaSession.starts_at)
    )
    return db.session.scalars(query).all()
