"""Signed webhooks: endpoints the secretariat configures, and deliveries written in the writer's transaction.

Features register their events (`outbox.register_event`) and add deliveries with `outbox.emit`; this
package imports no feature.
"""

from flask import Blueprint

from forum.policy import protect

bp = Blueprint("webhooks", __name__, url_prefix="/admin/webhooks")
# Every page is the secretariat's (forum.policy).
protect(bp, "administer")

from forum.webhooks import routes  # noqa: E402,F401
