"""What threads and posts are made of: titles, bodies rendered once, tags, quotes; checked on the way in."""

import re

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from forum.accounts.attribution import public_byline
from forum.accounts.services import users_by_handle
from forum.extensions import db
from forum.rules import RuleViolation
from forum.sanitize import markdown_to_html, mentioned_handles
from forum.threads.models import BODY_MAX, TITLE_MAX, Tag

TAG = re.compile(r"^[\w][\w .-]{0,39}$")
MAX_TAGS = 5


def clean_body(body):
    """The body, trimmed, or a RuleViolation when it is empty or too long."""
    body = (body or "").strip()
    if not body:
        raise RuleViolation(_("Write something before posting."), field="body")
    if len(body) > BODY_MAX:
        raise RuleViolation(_("Posts are limited to %(n)s characters.", n=BODY_MAX), field="body")
    return body


def render(body):
    """Sanitized HTML of a body, with its @mentions of existing users linked; also the mentioned users."""
    users = users_by_handle(mentioned_handles(body))
    html = markdown_to_html(
        body, lambda handle: url_for("accounts.by_handle", handle=handle) if handle in users else None
    )
    return html, list(users.values())


def clean_title(title):
    """The title, trimmed, or a RuleViolation."""
    title = (title or "").strip()
    if not title:
        raise RuleViolation(_("Give the thread a title."), field="title")
    if len(title) > TITLE_MAX:
        raise RuleViolation(_("Titles are limited to %(n)s characters.", n=TITLE_MAX), field="title")
    return title


def tags_for(text):
    """Tag rows for a comma-separated list, created when new."""
    names = list(dict.fromkeys(t.strip().lower() for t in (text or "").split(",") if t.strip()))
    if len(names) > MAX_TAGS:
        raise RuleViolation(_("Use at most %(n)s tags.", n=MAX_TAGS), field="tags")
    if any(not TAG.match(name) for name in names):
        raise RuleViolation(_("Tags are words of up to 40 letters, digits or dashes."), field="tags")
    existing = {t.name: t for t in db.session.scalars(select(Tag).where(Tag.name.in_(names)))}
    return [existing.get(name) or Tag(name=name) for name in names]


def choice(value, choices, field):
    """`value` when it is one of `choices`, else a RuleViolation on `field`."""
    if value not in choices:
        raise RuleViolation(_("Choose one of the options."), field=field)
    return value


def quote(post):
    """Markdown quoting `post`, naming its author only where every reader may see who wrote.

    The quote becomes part of a post that everyone reads: a moderator quoting under Chatham House
    must not name the author either, although they see the name themselves.
    """
    quoted = "\n".join(f"> {line}" for line in post.body.splitlines())
    shown = public_byline(post).person
    header = _("@%(handle)s wrote:", handle=shown.handle) if shown else _("A participant wrote:")
    return f"{header}\n{quoted}\n\n"
