"""Demo key takeaways: one published on "Bridging AI divides", citing a thread and a Hub entry, one in
review. Written through the services, as the demo's moderator."""

from sqlalchemy import select

from forum.accounts.services import find_by_email
from forum.extensions import db
from forum.hub.models import Contribution
from forum.states import TakeawayState
from forum.synthesis import services
from forum.synthesis.models import Takeaway
from forum.threads.models import Theme, Thread

MODERATOR = "moderator@demo.dialogue.int"
# (theme, kind, title, body, the state it ends in, cited thread titles, cited Hub entry titles)
TAKEAWAYS = [
    (
        "ai-divides",
        "best_practice",
        "Pool compute, publish every allocation",
        "Public universities gain most when ministries pool GPU time behind **one application window** "
        "and publish each allocation.",
        TakeawayState.PUBLISHED,
        ["National AI compute sharing for universities"],
        ["Shared AI compute for East African public universities"],
    ),
    (
        "ai-divides",
        "open_question",
        "How should shared compute be split between teaching and research?",
        "Participants asked for allocation rules that other universities could reuse.",
        TakeawayState.REVIEW,
        ["National AI compute sharing for universities"],
        [],
    ),
]


def _cited(thread_titles, entry_titles):
    """The citation keys of the threads' opening posts and of the Hub entries."""
    posts = db.session.scalars(select(Thread.first_post_id).where(Thread.title.in_(thread_titles)))
    entries = db.session.scalars(select(Contribution.id).where(Contribution.title.in_(entry_titles)))
    return [f"post:{post_id}" for post_id in posts] + [f"contribution:{entry_id}" for entry_id in entries]


def seed_synthesis():
    """Create the demo takeaways that are missing; returns how many were made."""
    made, moderator = 0, find_by_email(MODERATOR)
    for slug, kind, title, body, state, thread_titles, entry_titles in TAKEAWAYS:
        if db.session.scalar(select(Takeaway.id).where(Takeaway.title == title)):
            continue
        theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
        takeaway = services.save(moderator, services.blank(theme), kind=kind, title=title, body=body,
                                 language="en", cited=_cited(thread_titles, entry_titles))  # fmt: skip
        for step in list(TakeawayState)[1 : list(TakeawayState).index(state) + 1]:
            services.move(moderator, takeaway, step)
        made += 1
    return made
