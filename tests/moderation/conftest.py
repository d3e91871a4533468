"""Moderation fixtures: a held post in the queue, signed-in clients by role."""

import pytest
from sqlalchemy import select

from forum.moderation.models import ReviewItem
from tests.conftest import Auth


@pytest.fixture
def signed_in(app, client):
    """A client signed in as `user`: signed_in(user) -> client (a fresh client per call)."""

    def factory(user):
        fresh = app.test_client()
        Auth(fresh).login(user)
        return fresh

    return factory


@pytest.fixture
def held(db, pending_user, make_thread):
    """A reply by an unverified user, held for review: (thread, post, item)."""
    from forum.threads import services

    thread = make_thread(title="Harbour data governance", body="Opening post.")
    post = services.reply(pending_user, thread, "Held reply about tidal data.")
    item = db.session.scalar(select(ReviewItem).where(ReviewItem.post_id == post.id))
    return thread, post, item
