"""Key takeaway rules: drafting with citations, the review workflow, deleting drafts; every step audited."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum import audit
from forum.database import utcnow
from forum.extensions import db
from forum.languages import UN_LANGUAGES
from forum.policy import allowed
from forum.qa.models import AgendaSession
from forum.rules import RuleViolation
from forum.sanitize import markdown_to_html
from forum.states import TakeawayState
from forum.synthesis import citations
from forum.synthesis.models import (
    BODY_MAX,
    CITATIONS_MAX,
    TAKEAWAY_KINDS,
    TITLE_MAX,
    Citation,
    Takeaway,
)
from forum.threads.models import Theme

audit.ACTION_LABELS.update(
    {
        "takeaway.create": _l("Drafted a key takeaway"),
        "takeaway.edit": _l("Edited a key takeaway"),
        "takeaway.submit": _l("Sent a key takeaway for review"),
        "takeaway.return": _l("Returned a key takeaway in review to draft"),
        "takeaway.publish": _l("Published a key takeaway"),
        "takeaway.unpublish": _l("Took a published key takeaway back to draft"),
        "takeaway.delete": _l("Deleted a draft key takeaway"),
        "archive.export": _l("Downloaded the staff archive"),
    }
)

# (from, to) -> (the rule the user must pass, the audit action).
TRANSITIONS = {
    (TakeawayState.DRAFT, TakeawayState.REVIEW): ("takeaway.draft", "takeaway.submit"),
    (TakeawayState.REVIEW, TakeawayState.DRAFT): ("takeaway.draft", "takeaway.return"),
    (TakeawayState.REVIEW, TakeawayState.PUBLISHED): ("takeaway.publish", "takeaway.publish"),
    (TakeawayState.PUBLISHED, TakeawayState.DRAFT): ("takeaway.publish", "takeaway.unpublish"),
}


def _forbidden():
    """The refusal of a user who may not draft this takeaway."""
    return RuleViolation(_("Only moderators and the chairs of its sessions may do this."), code="forbidden")


def _fields(takeaway):
    """What the audit log records of a takeaway."""
    return {
        "kind": takeaway.kind,
        "title": takeaway.title,
        "body": takeaway.body,
        "language": takeaway.language,
        "session_id": takeaway.session_id,
        "citations": [citation.key for citation in takeaway.citations],
    }


def _validated_text(kind, title, body, language):
    """The kind, title, body and language after checking them; raises RuleViolation beside the field."""
    title, body = (title or "").strip(), (body or "").strip()
    if kind not in TAKEAWAY_KINDS:
        raise RuleViolation(_("Choose what kind of takeaway this is."), field="kind")
    if not title or len(title) > TITLE_MAX:
        raise RuleViolation(_("Give a title of up to %(n)s characters.", n=TITLE_MAX), field="title")
    if not body or len(body) > BODY_MAX:
        raise RuleViolation(_("Write the takeaway in up to %(n)s characters.", n=BODY_MAX), field="body")
    if language not in UN_LANGUAGES:
        raise RuleViolation(_("Choose one of the six UN languages."), field="language")
    return title, body


def _session(theme, session_id):
    """The theme's session of that id, None for none; raises RuleViolation for a session of another theme."""
    if not session_id:
        return None
    session = db.session.get(AgendaSession, session_id)
    if session is None or theme.id not in {t.id for t in session.themes}:
        raise RuleViolation(_("Choose a session of this theme, or none."), field="session")
    return session


def _cited(user, takeaway, kept, links):
    """The citations, in order: ticked keys, then pasted links, one per line; new ones checked for `user`.

    Every refused line is named in one message beside its field, so all can be corrected at once.
    """
    before = {citation.key for citation in takeaway.citations}
    chosen, box_errors, link_errors = [], [], []
    for key in kept:
        pair = citations.parse_key(key)
        if pair is None:
            box_errors.append(_("An unknown item was ticked."))
            continue
        if key not in before:
            try:
                citations.check_citable(user, *pair)
            except RuleViolation as error:
                box_errors.append(str(error.message))
                continue
        chosen.append(pair)
    for number, line in enumerate((links or "").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            pair = citations.parse_link(line)
            citations.check_citable(user, *pair)
        except RuleViolation as error:
            link_errors.append(_("Line %(n)s: %(error)s", n=number, error=error.message))
            continue
        chosen.append(pair)
    if box_errors:
        raise RuleViolation(" ".join(box_errors), field="cited")
    if link_errors:
        raise RuleViolation(" ".join(link_errors), field="links")
    unique = list(dict.fromkeys(chosen))
    if len(unique) > CITATIONS_MAX:
        raise RuleViolation(_("Cite at most %(n)s items.", n=CITATIONS_MAX), field="links")
    return unique


def blank(theme):
    """A new, unsaved takeaway of `theme`, for the rules and the form."""
    return Takeaway(theme=theme, theme_id=theme.id, state=TakeawayState.DRAFT)


def save(user, takeaway, *, kind, title, body, language, session_id=None, cited=(), links=""):
    """Write a new takeaway (`takeaway` unsaved, with its theme) or change one in draft or review."""
    theme = takeaway.theme
    if not allowed(user, "takeaway.draft", takeaway):
        raise _forbidden()
    if takeaway.state == TakeawayState.PUBLISHED:
        raise RuleViolation(_("Take the takeaway back to draft before changing it."), code="conflict")
    title, body = _validated_text(kind, title, body, language)
    session = _session(theme, session_id)
    if not allowed(user, "takeaway.draft", Takeaway(theme_id=theme.id, session_id=session and session.id)):
        raise RuleViolation(_("You chair none of this session's work: choose one of yours."), field="session")
    pairs = _cited(user, takeaway, cited, links)
    new = takeaway.id is None
    before = None if new else _fields(takeaway)
    takeaway.kind, takeaway.title, takeaway.body, takeaway.language = kind, title, body, language
    takeaway.body_html = markdown_to_html(body)
    takeaway.session, takeaway.session_id = session, session.id if session else None
    takeaway.citations = [
        Citation(kind=kind_, target_id=target_id, position=position)
        for position, (kind_, target_id) in enumerate(pairs)
    ]
    takeaway.updated_at = utcnow()
    if new:
        takeaway.author_id, takeaway.state = user.id, TakeawayState.DRAFT
        db.session.add(takeaway)
        db.session.flush()
        audit.log(user, "takeaway.create", "takeaway", takeaway.id, title, after=_fields(takeaway))
    else:
        old, changed = audit.changes(before, _fields(takeaway))
        audit.log(user, "takeaway.edit", "takeaway", takeaway.id, title, before=old, after=changed)
    db.session.commit()
    return takeaway


def move(user, takeaway, to):
    """Send a draft for review, return it to draft, publish it, or take a published one back to draft."""
    step = TRANSITIONS.get((takeaway.state, to))
    if step is None:
        raise RuleViolation(_("This takeaway cannot make that step from where it is now."), code="conflict")
    rule, action = step
    if not allowed(user, rule, takeaway):
        if rule == "takeaway.publish":
            raise RuleViolation(_("Only moderators publish key takeaways."), code="forbidden")
        raise _forbidden()
    before = takeaway.state
    # Conditional: two staff pressing at once move it once.
    moved = db.session.execute(
        db.update(Takeaway)
        .where(Takeaway.id == takeaway.id, Takeaway.state == before)
        .values(state=to, published_at=utcnow() if to == TakeawayState.PUBLISHED else Takeaway.published_at)
    ).rowcount
    if not moved:
        db.session.rollback()
        raise RuleViolation(_("Someone else changed this takeaway meanwhile."), code="conflict")
    audit.log(
        user, action, "takeaway", takeaway.id, takeaway.title, before={"state": before}, after={"state": to}
    )
    db.session.commit()
    db.session.refresh(takeaway)
    return takeaway


def delete(user, takeaway):
    """Delete a draft (one in review or published must come back to draft first)."""
    if not allowed(user, "takeaway.draft", takeaway):
        raise _forbidden()
    if takeaway.state != TakeawayState.DRAFT:
        raise RuleViolation(_("Only a draft can be deleted."), code="conflict")
    audit.log(user, "takeaway.delete", "takeaway", takeaway.id, takeaway.title, before=_fields(takeaway))
    db.session.delete(takeaway)
    db.session.commit()


def of_theme(theme, states=(TakeawayState.PUBLISHED,)):
    """The theme's takeaways in these states, by kind then oldest first."""
    query = select(Takeaway).where(Takeaway.theme_id == theme.id, Takeaway.state.in_(states))
    return db.session.scalars(query.order_by(Takeaway.kind, Takeaway.id)).all()


def published_by_theme():
    """Every published takeaway, grouped: [(theme, [takeaway, …])] in the themes' order."""
    query = (
        select(Takeaway)
        .join(Theme, Theme.id == Takeaway.theme_id)
        .where(Takeaway.state == TakeawayState.PUBLISHED)
        .order_by(Theme.position, Theme.id, Takeaway.kind, Takeaway.id)
    )
    grouped = {}
    for takeaway in db.session.scalars(query):
        grouped.setdefault(takeaway.theme, []).append(takeaway)
    return list(grouped.items())


def unpublished():
    """Every draft and takeaway in review, for the moderators' overview: in review first."""
    query = select(Takeaway).where(Takeaway.state.in_((TakeawayState.DRAFT, TakeawayState.REVIEW)))
    return db.session.scalars(query.order_by(Takeaway.state.desc(), Takeaway.theme_id, Takeaway.id)).all()
