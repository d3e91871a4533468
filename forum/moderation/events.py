"""Moderators' socket events: act on a review item from the live queue page.

A moderator's browser sends `moderation.act {item_id, action, reason}` (action: claim, release,
approve, reject) and gets {ok: true, item_id, state} or a structured error; every moderator in
the `moderation` room then hears `queue.changed`.
"""

import logging

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forum.extensions import socketio
from forum.moderation import queue
from forum.params import payload_id
from forum.policy import socket_requires
from forum.realtime.events import error_reply, limited
from forum.rules import RuleViolation

log = logging.getLogger(__name__)
ACTIONS = {"claim": queue.claim, "release": queue.release, "approve": queue.approve}


@socketio.on("moderation.act")
@limited
@socket_requires("moderate", _l("Only moderators may do this."))
def on_act(payload=None):
    """A moderator claims, releases, approves or rejects an item; the role is read from the database."""
    item_id = payload_id(payload, "item_id")
    if item_id is None or payload.get("action") not in (*ACTIONS, "reject"):
        return error_reply("bad_request", _("Send {item_id, action} with a known action."))
    try:
        if payload["action"] == "reject":
            item = queue.reject(current_user, item_id, payload.get("reason"))
        else:
            item = ACTIONS[payload["action"]](current_user, item_id)
    except RuleViolation as refusal:
        return {"ok": False, **refusal.as_dict()}
    return {"ok": True, "item_id": item.id, "state": item.state}
