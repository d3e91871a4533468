"""The audit log: every staff action, written in the same transaction as the action, never changed.

Below every feature (accounts, mail, threads, moderation and the others write it); the moderators'
pages read it (forum.moderation.listing).

Services call `log()` before they commit. Rows are append-only three times over: no code updates or
deletes them, the session refuses to flush such a change, and database triggers refuse it too.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import DDL, event
from sqlalchemy.orm import Session

from forum.audit.models import AuditEntry
from forum.extensions import db

# Labels of the actions shown in the log; a feature registers its own with ACTION_LABELS.update().
ACTION_LABELS = {
    "post.approve": _l("Approved a post"),
    "post.reject": _l("Rejected a post"),
    "post.edit": _l("Edited a post"),
    "post.hide": _l("Hid a post"),
    "post.restore": _l("Restored a post"),
    "post.delete": _l("Deleted a post"),
    "flags.decline": _l("Declined the flags on a post"),
    "flags.uphold": _l("Upheld the flags on a post and kept it hidden"),
    "item.claim": _l("Claimed a review item"),
    "item.release": _l("Released a review item"),
    "item.reject": _l("Closed a review item on a post already out of sight"),
    "thread.lock": _l("Locked a thread"),
    "thread.unlock": _l("Unlocked a thread"),
    "thread.pin": _l("Pinned a thread"),
    "thread.unpin": _l("Unpinned a thread"),
    "thread.move": _l("Moved a thread"),
    "thread.slow_mode": _l("Changed a thread's slow mode"),
    "thread.edit": _l("Edited a thread"),
    "user.warn": _l("Warned a user"),
    "user.silence": _l("Silenced a user"),
    "user.suspend": _l("Suspended a user"),
    "user.lift": _l("Lifted a sanction"),
    "user.note": _l("Wrote a staff note"),
    "user.verify": _l("Verified a registration"),
    "user.reject": _l("Rejected a registration"),
    "user.unverify": _l("Withdrew a verification"),
    "user.role": _l("Changed a role"),
    "invitation.create": _l("Sent an invitation"),
    "theme.create": _l("Created a theme"),
    "theme.edit": _l("Edited a theme"),
    "word.add": _l("Added a watched word"),
    "word.remove": _l("Removed a watched word"),
    "setting.change": _l("Changed a setting"),
}


def log(actor, action, target_type, target_id, label="", *, reason=None, before=None, after=None):
    """Add one audit row to the current transaction; the caller commits it with the action."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=(label or "")[:200],
        reason=reason or None,
        before=before,
        after=after,
    )
    db.session.add(entry)
    return entry


def changes(before, after):
    """`before` and `after` cut to the keys whose values differ, so that an entry names only what changed."""
    changed = [key for key in before if before[key] != after[key]]
    return {key: before[key] for key in changed}, {key: after[key] for key in changed}


@event.listens_for(Session, "before_flush")
def _refuse_changes(session, flush_context, instances):
    """A flush that would change or delete an audit row is a bug: refuse it loudly."""
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise RuntimeError("audit entries are append-only")


# The one change allowed: erasing a deleted account's personal data (forum.privacy.erasure) rewrites an
# entry's label, reason and values, marking the label "erased:"; who acted, on what, what and when stay.
ERASED_MARK = "erased:"
SQLITE_REDACTION = (
    "NEW.id = OLD.id AND NEW.actor_id IS OLD.actor_id AND NEW.action = OLD.action"
    " AND NEW.target_type = OLD.target_type AND NEW.target_id IS OLD.target_id"
    " AND NEW.created_at = OLD.created_at"
    f" AND substr(NEW.target_label, 1, {len(ERASED_MARK)}) = '{ERASED_MARK}'"
)
SQLITE_CREATE = (
    f"""CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry WHEN NOT ({SQLITE_REDACTION}) BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only');
END""",
    """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only');
END""",
)
POSTGRES_CREATE = (
    f"""CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
        AND NEW.action = OLD.action AND NEW.target_type = OLD.target_type
        AND NEW.target_id IS NOT DISTINCT FROM OLD.target_id AND NEW.created_at = OLD.created_at
        AND substr(NEW.target_label, 1, {len(ERASED_MARK)}) = '{ERASED_MARK}' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only';
END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()""",
)
POSTGRES_DROP = ("DROP FUNCTION IF EXISTS audit_entry_append_only() CASCADE",)


def _listen():
    """Create the triggers with the table; the migration carries a frozen copy of the same statements."""
    for dialect, statements in (("sqlite", SQLITE_CREATE), ("postgresql", POSTGRES_CREATE)):
        for statement in statements:
            event.listen(AuditEntry.__table__, "after_create", DDL(statement).execute_if(dialect=dialect))
    for statement in POSTGRES_DROP:
        event.listen(AuditEntry.__table__, "after_drop", DDL(statement).execute_if(dialect="postgresql"))


_listen()
