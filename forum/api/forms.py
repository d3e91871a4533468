"""The form that creates a personal API token; the rules that refuse it live in forum.api.tokens."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField

from forum.api.models import NAME_MAX, SCOPES
from forum.forms import select_choices


class TokenForm(FlaskForm):
    """Name a new token and choose what it may do."""

    name = StringField(
        _l("Name"),
        description=_l(
            "What the token is for, e.g. the programme that uses it (up to %(n)s characters).", n=NAME_MAX
        ),
    )
    scope = RadioField(_l("Scope"), choices=select_choices(SCOPES.items()), default="read")
