"""The file outbox's .eml files (named <time>-<row id>.eml): removed, or written again from their row."""

from pathlib import Path

from flask import current_app

from forum.extensions import db
from forum.mail.models import OutboxMessage
from forum.mail.sender import build


def _files(ids):
    """{row id: [paths]} of the outbox files of these rows."""
    folder = current_app.config.get("MAIL_OUTBOX_DIR")
    found = {}
    if not folder or not Path(folder).is_dir() or not ids:
        return found
    wanted = {f"-{row_id}.eml": row_id for row_id in ids}
    for path in Path(folder).glob("*.eml"):
        row_id = next((row_id for end, row_id in wanted.items() if path.name.endswith(end)), None)
        if row_id is not None:
            found.setdefault(row_id, []).append(path)
    return found


def remove(ids):
    """Delete the files of these mails; returns how many."""
    paths = [path for group in _files(ids).values() for path in group]
    for path in paths:
        path.unlink(missing_ok=True)
    return len(paths)


def rewrite(ids):
    """Write the files of these mails again from their rows (after their text was changed)."""
    for row_id, paths in _files(ids).items():
        row = db.session.get(OutboxMessage, row_id)
        for path in paths:
            path.write_bytes(build(row).as_bytes())
