"""The notifications page: only unread lines stand out, and no title is said twice."""

import re
from pathlib import Path

from forum.notifications import services as notifications
from forum.notifications.models import Notification
from tests.conftest import Auth


def items(page):
    """Each <li class="notification…"> of the page, as its HTML."""
    return re.findall(r'<li class="notification[^"]*">.*?</li>', page, re.DOTALL)


def test_only_unread_notifications_are_marked_and_bold(
    app, client, db, participant, make_user, make_thread, make_post
):
    thread = make_thread(author=participant)
    make_post(thread, author=make_user(name="Replying Person"), body="A first answer.")
    make_post(thread, author=make_user(name="Second Person"), body="A second answer.")
    older = db.session.query(Notification).filter_by(user_id=participant.id).order_by(Notification.id).first()
    notifications.mark_read(participant, older.id)
    Auth(client).login(participant)
    unread, read = items(client.get("/notifications").text)
    assert 'class="notification unread"' in unread and "New" in unread
    assert 'class="notification"' in read and "New" not in read
    for item in (unread, read):
        assert "<strong>" not in item and 'class="notification-lead"' in item
    rules = (Path(app.static_folder) / "css" / "forum.css").read_text()
    assert ".notification.unread { font-weight" not in rules
    assert ".notification.unread .notification-lead { font-weight: 600; }" in rules
