"""The insights' seeded world (known counts), with published key takeaways citing a post under the Chatham
House Rule and an anonymous question."""

import pytest
from sqlalchemy import select

from forum.qa.models import Question
from forum.synthesis import services as synthesis
from forum.threads.models import Post, Thread
from tests.insights.conftest import World, world  # noqa: F401 - the fixture, shared


@pytest.fixture
def reported(world, db, moderator):  # noqa: F811 - the fixture imported above
    """The world with a published takeaway of each theme; returns the world."""
    chatham = db.session.scalar(select(Thread).where(Thread.attribution == "chatham"))
    reply = db.session.scalars(select(Post).where(Post.thread_id == chatham.id).order_by(Post.id)).all()[-1]
    anonymous = db.session.scalar(select(Question).where(Question.anonymous.is_(True)))
    for theme, kind, title, cited in (
        (world.other, "best_practice", "Pool compute across borders", [f"post:{reply.id}"]),
        (world.ethics, "open_question", "Who audits the auditors?", [f"question:{anonymous.id}"]),
    ):
        takeaway = synthesis.save(moderator, synthesis.blank(theme), kind=kind, title=title,
                                  body="Drawn from the discussion.", language="en", cited=cited)  # fmt: skip
        synthesis.move(moderator, takeaway, "review")
        synthesis.move(moderator, takeaway, "published")
    return world


assert World  # the world's type, for annotations in the tests
