"""The notifications page."""

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from forum.notifications import bp, services
from forum.params import id_or_none, int_arg
from forum.policy import requires
from forum.security import is_safe_next


@bp.route("/notifications")
@requires("signed_in")
def index():
    """The signed-in user's notifications, newest first."""
    notes = services.recent(current_user, before=int_arg("before"))
    older = notes[-1].id if len(notes) == services.PAGE_SIZE else None
    return render_template("notifications/index.html", notes=notes, older=older)


@bp.route("/notifications/read", methods=["POST"])
@requires("signed_in")
def mark_read():
    """Mark one notification (id) or all of them as read."""
    services.mark_read(current_user, id_or_none(request.form.get("id")))
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for(".index"))
