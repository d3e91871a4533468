"""Deleting an account: personal data removed, what the user wrote kept under "Former participant".

The users row stays, as the pseudonymous reference every post, question, vote and audit entry keeps: its
name becomes "Former participant", its handle a random pseudonym, its email an address that cannot
receive mail; the stakeholder group and country stay, as on everything the user wrote. Rows that are
only about the user (sessions, consents, follows, notifications, identity requests, staff notes, their
mail) are deleted. Their email, name and handle are then replaced wherever they still appear as text:
in other people's notifications, mail, staff notes, sanctions and mentions, and in the audit log, whose
entries keep who acted on what and when, and are marked "erased:" (forum.audit).

A user who asks for the removal of what they wrote too gets it: each post's text, each thread title and
each question becomes "Removed at the author's request" (the edit history goes), while the threads,
their replies and the order of both stay as they were. The secretariat does the same for a request it
received by mail or letter (erase_on_request), without the password; the log names who processed it.
"""

import json
import re
import secrets

from flask_babel import gettext as _
from sqlalchemy import String, delete, func, or_, select, update

from forum.accounts import usersessions
from forum.accounts.identity import IdentityChange
from forum.accounts.models import Invitation, PrivacyConsent, User, new_session_token
from forum.accounts.security_models import (
    RecoveryCode,
    TotpCredential,
    UserSession,
    WebAuthnChallenge,
    WebAuthnCredential,
)
from forum.accounts.services import check_password
from forum.api.models import ApiToken
from forum.audit import ERASED_MARK
from forum.audit.models import AuditEntry
from forum.database import utcnow
from forum.extensions import db
from forum.mail.models import OutboxMessage
from forum.moderation.models import Flag, StaffNote
from forum.notifications.models import Follow, Notification
from forum.permissions import Role
from forum.privacy import outbox_files
from forum.privacy.models import DataRequest
from forum.qa.models import Question
from forum.realtime.publish import end_user_sockets
from forum.rules import RuleViolation
from forum.security_log import security_event
from forum.threads.models import Post, PostRevision, ReadMark, Thread

FORMER = "Former participant"
# What stays of the text of a user who asked for the removal of what they wrote (stored, like all text).
TOMBSTONE = "Removed at the author's request"
# Rows only about the user: deleted with the account.
OWN_ROWS = (
    (ApiToken, "user_id"),
    (TotpCredential, "user_id"),
    (RecoveryCode, "user_id"),
    (WebAuthnCredential, "user_id"),
    (WebAuthnChallenge, "user_id"),
    (UserSession, "user_id"),
    (PrivacyConsent, "user_id"),
    (IdentityChange, "user_id"),
    (Follow, "user_id"),
    (ReadMark, "user_id"),
    (Notification, "user_id"),
    (StaffNote, "user_id"),
)
# Tables whose text is rewritten here rather than by the generic replacement.
OWN_TEXT = {"users", "audit_entry"}


def _refuse(user):
    """Raise RuleViolation for an account already deleted, or the last administrator's."""
    if user.erased_at is not None:
        raise RuleViolation(_("This account is already deleted."), code="erased")
    if user.role == Role.ADMIN:
        admins = db.session.scalar(select(func.count()).select_from(User).where(User.role == Role.ADMIN))
        if admins <= 1:
            raise RuleViolation(_("The last administrator cannot delete their account."), code="last_admin")


def _substituted(text, replacements):
    """`text` with each trace replaced (whole words, any case)."""
    for pattern, substitute in replacements:
        text = pattern.sub(substitute, text)
    return text


def _patterns(user, pseudonym, address):
    """(compiled pattern, substitute) for the email, the handle (mentions, profile links) and the name."""
    traces = ((user.email, address), (user.handle, pseudonym), (user.name, FORMER))
    return [
        (re.compile(rf"(?<![\w.-]){re.escape(trace)}(?![\w@-])", re.IGNORECASE), substitute)
        for trace, substitute in traces
        if trace
    ]


def _replace_text(traces, replacements):
    """Rewrite every text column of every other table that still holds a trace.

    Returns {table name: set of the primary keys of the rows changed}.
    """
    changed = {}
    for table in db.metadata.sorted_tables:
        if table.name in OWN_TEXT:
            continue
        key = list(table.primary_key.columns)
        for column in (c for c in table.columns if isinstance(c.type, String) and not c.primary_key):
            found = or_(*(column.icontains(trace, autoescape=True) for trace in traces))
            for *ids, value in db.session.execute(select(*key, column).where(found)).all():
                new = _substituted(value, replacements)
                if new != value:
                    where = [c == v for c, v in zip(key, ids, strict=True)]
                    db.session.execute(
                        update(table).where(*where).values({column.name: new[: column.type.length or None]})
                    )
                    changed.setdefault(table.name, set()).add(ids[0] if len(ids) == 1 else tuple(ids))
    return changed


def _redact_audit(user, traces, replacements):
    """Rewrite the audit entries that name the user, marking them erased; returns how many."""
    about = or_(
        AuditEntry.actor_id == user.id,
        (AuditEntry.target_type == "user") & (AuditEntry.target_id == user.id),
        *(AuditEntry.target_label.icontains(t, autoescape=True) for t in traces),
        *(AuditEntry.reason.icontains(t, autoescape=True) for t in traces),
    )
    columns = (AuditEntry.id, AuditEntry.target_label, AuditEntry.reason, AuditEntry.before, AuditEntry.after)
    redacted = 0
    for entry_id, label, reason, before, after in db.session.execute(select(*columns).where(about)).all():
        values = {
            "target_label": _substituted(label or "", replacements),
            "reason": _substituted(reason, replacements) if reason else reason,
            "before": _json_substituted(before, replacements),
            "after": _json_substituted(after, replacements),
        }
        if values == {"target_label": label or "", "reason": reason, "before": before, "after": after}:
            continue
        values["target_label"] = (ERASED_MARK + values["target_label"])[:200]
        db.session.execute(update(AuditEntry).where(AuditEntry.id == entry_id).values(values))
        redacted += 1
    return redacted


def _json_substituted(value, replacements):
    """A JSON value with the traces replaced in its text."""
    if value is None:
        return None
    return json.loads(_substituted(json.dumps(value, ensure_ascii=False), replacements))


def _own_mail(user):
    """Delete the user's mail rows; returns the ids, to remove their files too."""
    mine = or_(OutboxMessage.user_id == user.id, OutboxMessage.to_address == user.email)
    ids = db.session.scalars(select(OutboxMessage.id).where(mine)).all()
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))
    return ids


def _scrub(user, pseudonym, address):
    """The users row as the pseudonymous reference it stays."""
    user.email, user.name, user.handle = address, FORMER, pseudonym
    user.organisation, user.job_title, user.status_reason = "", None, None
    user.password_hash = "!"  # noqa: S105 - no password matches: argon2 refuses it as a hash
    user.session_token = new_session_token()
    user.role, user.digest_mode, user.locale = Role.PARTICIPANT, "off", None
    user.email_confirmed_at = user.last_login_at = user.last_digest_at = None
    user.privacy_version = None
    user.erased_at = utcnow()


def _remove_writing(user):
    """Replace the text of everything the user wrote with the tombstone; returns how much, by kind."""
    posts = select(Post.id).where(Post.author_id == user.id).scalar_subquery()
    db.session.execute(delete(PostRevision).where(PostRevision.post_id.in_(posts)))
    removed = {
        "posts": update(Post)
        .where(Post.author_id == user.id)
        .values(body=TOMBSTONE, body_html=f"<p>{TOMBSTONE}</p>", language="en"),
        "threads": update(Thread).where(Thread.author_id == user.id).values(title=TOMBSTONE, language="en"),
        "questions": update(Question)
        .where(Question.author_id == user.id)
        .values(body=TOMBSTONE, language="en"),
    }
    return {kind: db.session.execute(statement).rowcount for kind, statement in removed.items()}


def erase(user, password, remove_writing=False):
    """Delete the user's own account, after their password; returns the log entry. Raises RuleViolation."""
    if not check_password(user, password):
        raise RuleViolation(_("The password is not correct."), field="password")
    return _erase(user, remove_writing, None)


def erase_on_request(staff, user, remove_writing):
    """The secretariat deletes an account at its owner's request received by mail or letter."""
    return _erase(user, remove_writing, staff)


def _erase(user, remove_writing, staff):
    """Delete the account as the module says, logging who processed it (None: the user)."""
    _refuse(user)
    pseudonym = f"former-{secrets.token_hex(4)}"
    address = f"{pseudonym}@erased.invalid"
    traces = [trace for trace in (user.email, user.handle, user.name) if trace]
    replacements = _patterns(user, pseudonym, address)
    usersessions.end_all(user, "erased")
    mail_ids = _own_mail(user)
    for model, column in OWN_ROWS:
        db.session.execute(delete(model).where(getattr(model, column) == user.id))
    db.session.execute(update(Flag).where(Flag.user_id == user.id).values(note=None))
    db.session.execute(update(Invitation).where(Invitation.email == user.email).values(email=address))
    audit = _redact_audit(user, traces, replacements)
    rewritten = _replace_text(traces, replacements)
    texts = sum(len(keys) for keys in rewritten.values())
    _scrub(user, pseudonym, address)
    detail = {"audit_entries_redacted": audit, "texts_rewritten": texts, "mails_deleted": len(mail_ids)}
    if remove_writing:
        detail["writing_removed"] = _remove_writing(user)
    entry = DataRequest(
        user_id=user.id, kind="erasure", detail=detail, handled_by_id=staff.id if staff else None
    )
    db.session.add(entry)
    db.session.commit()
    outbox_files.remove(mail_ids)
    outbox_files.rewrite(rewritten.get(OutboxMessage.__tablename__, ()))
    end_user_sockets(user.id, "erased")
    security_event("privacy.erased", user_id=user.id, pseudonym=pseudonym, **detail)
    return entry
