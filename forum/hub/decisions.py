"""The secretariat's review of submitted contributions: claim, publish, return for changes, reject.

Two reviewers may act on one item at once: every change is a conditional UPDATE on the state the
reviewer saw, and the one who comes second is told who handled it and how. Each action is audited.
"""

from contextlib import nullcontext

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update

from forum import audit, languages
from forum.accounts.identity import identity_of
from forum.database import utcnow
from forum.extensions import db
from forum.hub import hooks
from forum.hub.models import STATES, Contribution
from forum.notifications import services as notifications
from forum.notifications.models import NOTICE_KINDS
from forum.realtime.publish import rendering_context
from forum.rules import RuleViolation
from forum.sanitize import markdown_to_html
from forum.states import ContributionState
from forum.threads.models import Post, Theme, Thread

REASON_MAX = 2000
DECISIONS = {
    "publish": ContributionState.PUBLISHED,
    "return": ContributionState.RETURNED,
    "reject": ContributionState.REJECTED,
}
# What the submitter is told of each decision, shown with the other notices on the notifications page.
HUB_NOTICES = {
    "hub_published": _l("The secretariat published your Partnerships Hub contribution"),
    "hub_returned": _l("The secretariat returned your Partnerships Hub contribution for changes"),
    "hub_rejected": _l("The secretariat rejected your Partnerships Hub contribution"),
}
NOTICE_KINDS.update(HUB_NOTICES)

audit.ACTION_LABELS.update(
    {
        "hub.claim": _l("Claimed a hub contribution for review"),
        "hub.publish": _l("Published a hub contribution"),
        "hub.return": _l("Returned a hub contribution for changes"),
        "hub.reject": _l("Rejected a hub contribution"),
    }
)


def queue():
    """Submitted contributions, oldest first."""
    query = (
        select(Contribution)
        .where(Contribution.state == ContributionState.SUBMITTED)
        .order_by(Contribution.submitted_at)
    )
    return db.session.scalars(query).all()


def recently_reviewed(limit=20):
    """The latest decisions, newest first."""
    query = (
        select(Contribution)
        .where(Contribution.reviewed_at.is_not(None))
        .order_by(Contribution.reviewed_at.desc())
        .limit(limit)
    )
    return db.session.scalars(query).all()


def _handled_elsewhere(contribution):
    """The RuleViolation for a reviewer who comes second: who decided, and what."""
    db.session.rollback()
    db.session.refresh(contribution)
    if contribution.reviewed_by is not None and contribution.state in DECISIONS.values():
        message = _(
            "%(name)s has already handled this contribution: %(state)s.",
            name=contribution.reviewed_by.name,
            state=STATES[contribution.state],
        )
    else:
        message = _(
            "This contribution is no longer awaiting review: %(state)s.", state=STATES[contribution.state]
        )
    return RuleViolation(message, code="already_handled")


def claim(reviewer, contribution):
    """Take a submitted contribution for review, unless another reviewer holds it."""
    changed = db.session.execute(
        update(Contribution)
        .where(
            Contribution.id == contribution.id,
            Contribution.state == ContributionState.SUBMITTED,
            or_(Contribution.claimed_by_id.is_(None), Contribution.claimed_by_id == reviewer.id),
        )
        .values(claimed_by_id=reviewer.id, claimed_at=utcnow())
    ).rowcount
    if not changed:
        db.session.rollback()
        db.session.refresh(contribution)
        if contribution.state != ContributionState.SUBMITTED:
            raise _handled_elsewhere(contribution)
        raise RuleViolation(
            _("%(name)s is already reviewing this contribution.", name=contribution.claimed_by.name),
            code="claimed",
        )
    audit.log(reviewer, "hub.claim", "contribution", contribution.id, contribution.title)
    db.session.commit()
    db.session.refresh(contribution)
    return contribution


def _contribution_language(contribution):
    """The contribution's language: detected from its words, else its submitter's (None when unknown)."""
    text = f"{contribution.title}\n{contribution.summary}\n{contribution.description}"
    return languages.detect(text) or languages.offered(contribution.submitter.locale)


def _open_thread(contribution):
    """The discussion thread of a published contribution: its summary and a link back, in its first theme.

    The thread is in the contribution's language, and so is the link's label when the site speaks it,
    rather than in the language of the reviewer who happened to publish it.
    """
    author = contribution.submitter
    language = _contribution_language(contribution)
    with rendering_context():
        link = url_for("hub.detail", contribution_id=contribution.id)
    speaks = language in current_app.config["LANGUAGES"]
    with force_locale(language) if speaks else nullcontext():
        label = _("Read the contribution in the Partnerships Hub")
    body = f"{contribution.summary}\n\n[{label}]({link})"
    # Its themes may have been deleted since it was submitted: then the first theme of the Dialogue.
    theme = (
        contribution.themes[0]
        if contribution.themes
        else db.session.scalar(select(Theme).order_by(Theme.position))
    )
    thread = Thread(
        author=author, theme=theme, title=contribution.title, kind="discussion", language=language
    )
    post = Post(
        thread=thread,
        author=author,
        body=body,
        body_html=markdown_to_html(body),
        language=language,
        **identity_of(author),
    )
    db.session.add_all([thread, post])
    db.session.flush()
    thread.first_post_id = thread.last_post_id = post.id
    notifications.follow_thread(author, thread)
    return thread, notifications.notify_new_post(post, [])


def decide(reviewer, contribution, decision, reason=""):
    """Publish, return for changes or reject a submitted contribution, exactly once."""
    if decision not in DECISIONS:
        raise RuleViolation(_("Choose a decision."), field="decision")
    reason = (reason or "").strip()
    if decision != "publish" and not reason:
        raise RuleViolation(_("Give the submitter a reason."), field="reason")
    if len(reason) > REASON_MAX:
        raise RuleViolation(_("This field is limited to %(n)s characters.", n=REASON_MAX), field="reason")
    state = DECISIONS[decision]
    now = utcnow()
    values = {
        "state": state,
        "state_reason": reason or None,
        "reviewed_by_id": reviewer.id,
        "reviewed_at": now,
    }
    if decision == "publish":
        values["published_at"] = now
    changed = db.session.execute(
        update(Contribution)
        .where(Contribution.id == contribution.id, Contribution.state == ContributionState.SUBMITTED)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        raise _handled_elsewhere(contribution)
    db.session.refresh(contribution)
    recipients, first_post = [], None
    if decision == "publish" and contribution.thread_id is None:
        thread, recipients = _open_thread(contribution)
        contribution.thread = thread
        first_post = db.session.get(Post, thread.first_post_id)
    if first_post is not None:
        # The notice links to the thread, whose title is the contribution's: the message adds only a reason.
        message = reason or None
    else:
        message = f"{contribution.title}: {reason}" if reason else contribution.title
    if decision == "publish":
        hooks.published(contribution)
    notice = f"hub_{state}"
    recipients.append(notifications.notice(contribution.submitter_id, notice, message, post=first_post))
    audit.log(
        reviewer,
        f"hub.{decision}",
        "contribution",
        contribution.id,
        contribution.title,
        reason=reason,
        before={"state": ContributionState.SUBMITTED},
        after={"state": state},
    )
    db.session.commit()
    notifications.publish(recipients)
    return contribution
