"""The presenter screen (a kiosk page per session) and the session's exports."""

from flask import Response, abort, render_template
from flask_login import current_user

from forum.policy import allowed
from forum.qa import bp, export, listing, services, speakers
from forum.qa.routes import session_or_404
from forum.realtime.store import last_seq


def _screen_context(session):
    """What the big screen shows: the highlighted question, the top questions, the current speaker."""
    return {
        "session": session,
        "highlighted": listing.highlighted(session),
        "top": listing.top(session),
        **speakers.floor(session),
    }


@bp.route("/programme/<slug>/screen")
def screen(slug):
    """The presenter screen: large type, high contrast, no controls; it follows the session live."""
    session = session_or_404(slug)
    since = last_seq(services.room_of(session))
    return render_template("qa/screen.html", since=since, **_screen_context(session))


@bp.route("/programme/<slug>/screen/now")
def screen_now(slug):
    """The screen's content alone, fetched by the screen's script after a change or a reconnection."""
    session = session_or_404(slug)
    html = render_template("qa/_screen.html", **_screen_context(session))
    return Response(html, headers={"Cache-Control": "no-store"})


def _exporter(session):
    """Whether the viewer sees who asked (moderators, the session's chairs); 404 before the end for others."""
    staff = allowed(current_user, "session.moderate", session)
    if not (staff or allowed(current_user, "session.speakers", session) or services.has_ended(session)):
        abort(404)
    return staff


@bp.route("/programme/<slug>/questions.csv")
def export_questions(slug):
    """The session's questions as CSV."""
    session = session_or_404(slug)
    body = export.questions_csv(session, _exporter(session))
    return _download(body, "text/csv", f"{session.slug}-questions.csv")


@bp.route("/programme/<slug>/speakers.csv")
def export_speakers(slug):
    """The session's approved speakers' list as CSV."""
    session = session_or_404(slug)
    _exporter(session)
    return _download(export.speakers_csv(session), "text/csv", f"{session.slug}-speakers.csv")


@bp.route("/programme/<slug>/summary.md")
def export_summary(slug):
    """A readable Markdown summary of the session's Q&A and speakers' list."""
    session = session_or_404(slug)
    body = export.summary_markdown(session, _exporter(session))
    return _download(body, "text/markdown", f"{session.slug}-summary.md")


def _download(body, mimetype, filename):
    """A UTF-8 attachment."""
    return Response(
        body,
        # content_type, not mimetype: Werkzeug adds "; charset=utf-8" to a text mimetype by itself.
        content_type=f"{mimetype}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
