"""The programme pages."""

from flask import abort, render_template
from sqlalchemy import select

from forum.extensions import db
from forum.qa import bp, services
from forum.qa.models import AgendaSession


@bp.route("/programme")
def programme():
    """The two-day programme, by day, in Geneva time, with what is on now and next."""
    running, upcoming = services.now_and_next()
    return render_template(
        "qa/programme.html", days=services.programme_by_day(), running=running, upcoming=upcoming
    )


@bp.route("/programme/<slug>")
def session_page(slug):
    """One session of the programme."""
    found = db.session.scalar(select(AgendaSession).where(AgendaSession.slug == slug)) or abort(404)
    return render_template("qa/session.html", session=found)
