"""Moderation settings the secretariat changes at run time; the configuration holds their defaults."""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from forum import audit
from forum.extensions import db
from forum.moderation.models import Setting
from forum.rules import RuleViolation

# key: (configuration default, label, help, lowest, highest)
SETTINGS = {
    "flag_threshold": (
        "MODERATION_FLAG_THRESHOLD",
        _l("Flags that hide a post"),
        _l("How many verified participants must flag a post before it is hidden pending review."),
        1,
        100,
    ),
    "hold_first_posts": (
        "MODERATION_HOLD_FIRST_POSTS",
        _l("First posts held for review"),
        _l("A new verified account's first posts wait for a moderator; 0 turns this off."),
        0,
        50,
    ),
    "new_user_posts": (
        "MODERATION_NEW_USER_POSTS",
        _l("Posts before an account stops being new"),
        _l("Until an account has this many published posts, the link limit below applies."),
        0,
        1000,
    ),
    "new_user_max_links": (
        "MODERATION_NEW_USER_MAX_LINKS",
        _l("Links a new account may post"),
        _l("A new account's post with more links than this waits for a moderator."),
        0,
        100,
    ),
}


def get(key):
    """The current value of a setting: the stored one, else the configuration's default."""
    stored = db.session.get(Setting, key)
    return stored.value if stored is not None else current_app.config[SETTINGS[key][0]]


def current():
    """Every setting's current value, by key."""
    return {key: get(key) for key in SETTINGS}


def change(admin, values):
    """Store new values, each checked against its range, with an audit row for each change."""
    clean = {}
    for key, (_config, _label, _help, lowest, highest) in SETTINGS.items():
        value = values.get(key)
        if not isinstance(value, int) or not lowest <= value <= highest:
            raise RuleViolation(
                _("Enter a whole number from %(low)s to %(high)s.", low=lowest, high=highest), field=key
            )
        clean[key] = value
    for key, value in clean.items():
        before = get(key)
        if before == value:
            continue
        row = db.session.get(Setting, key)
        if row is None:
            db.session.add(Setting(key=key, value=value))
        else:
            row.value = value
        audit.log(admin, "setting.change", "setting", None, key, before={key: before}, after={key: value})
    db.session.commit()
