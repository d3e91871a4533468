"""The process's publisher: work handed over by requests and done after they have answered.

A request that stored events gives them to its process's publisher and answers at once; the publisher
renders and sends them from one greenlet (a thread under the threading server), one batch after the
other, so that readers receive a room's events in order. The stored events are the truth: if the
publisher dies with batches unsent, readers catch up from the database when they next hear of the room.

Inline, the tests' setting (REALTIME_PUBLISH_INLINE), a batch is handled before `submit` returns. What the
publisher logs carries the id of the request that handed the batch over (a notice from another process
gets an id of its own: forum.logging_setup).
"""

import logging

from flask import has_app_context, has_request_context

from forum import logging_setup
from forum.extensions import db, socketio

log = logging.getLogger(__name__)


class Publisher:
    """One app's queue of batches and the greenlet that handles them with `handle(batch)`."""

    def __init__(self, app, handle):
        self.app = app
        self.handle = handle
        self.inline = app.config["REALTIME_PUBLISH_INLINE"]
        self.queue = None

    def submit(self, batch):
        """Hand a batch over: handled now when inline, else queued for the publisher's greenlet."""
        if self.inline:
            if has_app_context():
                self.handle(batch)
            else:  # another process's notice, heard by the message queue's listener
                self._handle_in_context(batch)
            return
        if self.queue is None:
            # Created on first use, in the server's process (a forked worker must not inherit one).
            self.queue = socketio.server.eio.create_queue()
            socketio.start_background_task(self._run)
        # The batch is handled under the id of the request (or socket event) that handed it over.
        self.queue.put((logging_setup.current_id() if has_request_context() else None, batch))

    def _run(self):
        """Handle the batches as they come, each in an app context of its own, never stopping."""
        while True:
            request_id, batch = self.queue.get()
            self._handle_in_context(batch, request_id)

    def _handle_in_context(self, batch, request_id=None):
        """Handle a batch in an app context of its own, logging what fails rather than raising."""
        with logging_setup.job_id(request_id), self.app.app_context(), self.app.test_request_context():
            try:
                self.handle(batch)
            except Exception:  # a live copy lost; readers repair it from the stored events
                log.exception("publishing a batch of %d events failed", len(batch[1]))
            finally:
                db.session.remove()
