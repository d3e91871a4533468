"""Notifications a feature above turns into mail (forum.mail: activity mail and the moderators' notices).

Each signal is sent inside the writer's transaction, so that the mail is committed with the notification.
"""

from blinker import Namespace

_signals = Namespace()
# A new post (`sender`) notified `wanted` ({user id: notification kind}).
post_notified = _signals.signal("post-notified")
# A user (`sender`, an id) was told a moderators' decision: `kind`, `message`, and the `post` or None.
notice_given = _signals.signal("notice-given")
