"""Exports of a session's Q&A and speakers' list: CSV for spreadsheets, Markdown for a readable summary.

Participants' exports never name who asked anonymously; staff exports do.
"""

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.csv_export import to_csv
from forum.extensions import db
from forum.i18n import geneva
from forum.qa import speakers
from forum.qa.listing import ordered
from forum.qa.models import QUESTION_STATES, SLOT_STATES, STATEMENT_LANGUAGES, Question, QuestionState


def exported_questions(session, staff):
    """Published questions (staff also get dismissed and merged ones), popular first, answered last."""
    states = (
        (QuestionState.PUBLISHED, QuestionState.DISMISSED, QuestionState.MERGED)
        if staff
        else (QuestionState.PUBLISHED,)
    )
    query = (
        select(Question)
        .options(joinedload(Question.author))
        .where(Question.session_id == session.id, Question.state.in_(states))
    )
    return ordered(db.session.scalars(query).all(), "popular")


def asker(question, staff):
    """Who asked, as the export's reader may know it."""
    author = question.author
    if question.anonymous and not staff:
        return _("Anonymous (%(group)s)", group=question.written_group_label)
    suffix = _(" (asked anonymously)") if question.anonymous else ""
    return f"{author.name}, {author.organisation} ({question.written_group_label}){suffix}"


def questions_csv(session, staff):
    """The Q&A as CSV text."""
    header = [_("Question"), _("Asked by"), _("Votes"), _("State"), _("Answered"), _("Asked at")]
    rows = (
        [
            q.body,
            asker(q, staff),
            q.vote_count,
            QUESTION_STATES[q.state],
            geneva(q.answered_at) if q.answered_at else "",
            geneva(q.created_at),
        ]
        for q in exported_questions(session, staff)
    )
    return to_csv(header, rows)


def speakers_csv(session):
    """The approved speakers' list as CSV text."""
    header = [_("Order"), _("On behalf of"), _("Speaker"), _("Language"), _("Minutes"), _("State")]
    rows = (
        [
            n,
            slot.on_behalf_of,
            slot.user.name,
            STATEMENT_LANGUAGES[slot.language],
            slot.minutes,
            SLOT_STATES[slot.state],
        ]
        for n, slot in enumerate(speakers.approved(session), start=1)
    )
    return to_csv(header, rows)


def _md(text):
    """Plain text that Markdown shows as typed."""
    return "".join("\\" + c if c in "\\`*_{}[]()<>#+-.!|" else c for c in text)


def summary_markdown(session, staff):
    """A readable Markdown summary of the session's Q&A and speakers' list."""
    lines = [
        f"# {_md(str(session.title))}",
        "",
        f"{geneva(session.starts_at)} – {geneva(session.ends_at)}, {_md(session.room)}",
        "",
    ]
    items = exported_questions(session, staff)
    lines += [f"## {_('Questions')} ({len(items)})", ""]
    for q in items:
        marks = [ngettext("%(num)s vote", "%(num)s votes", q.vote_count)]
        if q.answered_at:
            marks.append(_("answered"))
        if q.state != QuestionState.PUBLISHED:
            marks.append(str(QUESTION_STATES[q.state]))
        lines.append(f"- {_md(q.body)}  \n  *{_md(asker(q, staff))}; {', '.join(marks)}*")
    lines += ["", f"## {_('Speakers’ list')}", ""]
    slots = speakers.approved(session)
    for n, slot in enumerate(slots, start=1):
        details = f"{STATEMENT_LANGUAGES[slot.language]}, {_('%(n)s min', n=slot.minutes)}"
        lines.append(f"{n}. {_md(slot.on_behalf_of)}: {_md(slot.user.name)} ({details})")
    if not slots:
        lines.append(_("No statements."))
    return "\n".join(lines) + "\n"
