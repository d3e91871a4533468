"""Theme rules: the secretariat creates, renames, describes and orders the Dialogue's themes."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from forum import audit
from forum.database import SLUG, slug_taken
from forum.extensions import db
from forum.multilingual import cleaned
from forum.rules import RuleViolation
from forum.threads.models import Theme

# Themes are a handful; a place in the list beyond this is a typing slip (or beyond the column's range).
POSITION_MAX = 9999
# Per language.
NAME_MAX, DESCRIPTION_MAX = 120, 2000


def _validated(theme, name, slug, description, position):
    """Apply the fields to `theme` after checking them; raises RuleViolation.

    `name` and `description` are Texts, {language: text} mappings or plain strings (the default language).
    """
    name = cleaned(name, "name", NAME_MAX, _("Give the theme a name in at least one of the six languages."))
    description = cleaned(description, "description", DESCRIPTION_MAX, multiline=True)
    slug = (slug or "").strip().lower()
    if not SLUG.match(slug) or len(slug) > 80:
        raise RuleViolation(
            _("Use lower-case letters, digits and single dashes, e.g. ai-standards."), field="slug"
        )
    if slug_taken(Theme, slug, theme.id):
        raise RuleViolation(_("Another theme already uses this address."), field="slug")
    if position is not None and not 0 <= position <= POSITION_MAX:
        raise RuleViolation(_("Give a position from 0 to %(n)s.", n=POSITION_MAX), field="position")
    theme.name, theme.slug, theme.description, theme.position = name, slug, description, position
    return theme


def _fields(theme):
    """A theme's fields, for the audit log."""
    return {
        "name": dict(theme.name),
        "slug": theme.slug,
        "description": dict(theme.description),
        "position": theme.position,
    }


def create_theme(admin, name, slug, description="", position=None):
    """Add a theme, by default at the end of the list."""
    if position is None:
        position = (db.session.scalar(select(func.max(Theme.position))) or 0) + 1
    theme = _validated(Theme(), name, slug, description, position)
    db.session.add(theme)
    db.session.flush()
    audit.log(admin, "theme.create", "theme", theme.id, theme.name.default_text, after=_fields(theme))
    db.session.commit()
    return theme


def update_theme(admin, theme, name, slug, description, position):
    """Change a theme's name, address, description or place in the list."""
    before = _fields(theme)
    _validated(theme, name, slug, description, position)
    audit.log(
        admin, "theme.edit", "theme", theme.id, theme.name.default_text, before=before, after=_fields(theme)
    )
    db.session.commit()
    return theme
