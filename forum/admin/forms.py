"""Secretariat forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from forum.forms import select_choices
from forum.moderation.models import WORD_ACTIONS
from forum.moderation.settings import SETTINGS
from forum.multilingual import TextsField
from forum.params import to_id
from forum.permissions import ROLE_LABELS
from forum.qa.models import MODERATION_MODES


class DecisionForm(FlaskForm):
    """Verify or reject a registration; the reason is shown to the applicant."""

    reason = TextAreaField(
        _l("Reason (shown to the applicant; required to reject)"), validators=[Optional(), Length(max=2000)]
    )


class IdentityDecisionForm(FlaskForm):
    """Accept or decline a change of verified identity; the reason is shown to the participant."""

    reason = TextAreaField(
        _l("Reason (shown to the participant; required to decline)"),
        validators=[Optional(), Length(max=2000)],
    )


class RoleForm(FlaskForm):
    """Grant a role."""

    role = SelectField(_l("Role"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = select_choices(ROLE_LABELS.items())


class InvitationForm(FlaskForm):
    """Invite someone to register after the deadline."""

    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(_l("This field is required.")),
            Email(_l("Enter a valid email address."), check_deliverability=False),
        ],
    )


class ThemeForm(FlaskForm):
    """A theme of the Dialogue; its name and description in each UN language."""

    name = TextsField(_l("Name"))
    slug = StringField(
        _l("Address"), description=_l("The last part of the theme's web address, e.g. ai-standards.")
    )
    description = TextsField(_l("Description"), multiline=True)
    position = IntegerField(_l("Position in the list"), validators=[Optional()])


class WordForm(FlaskForm):
    """A watched word or phrase and its action."""

    word = StringField(_l("Word or phrase"), description=_l("Matched as whole words, whatever the case."))
    action = SelectField(_l("When a post contains it"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = select_choices(WORD_ACTIONS.items())


class SessionForm(FlaskForm):
    """A session of the programme, times in Geneva time; forum.qa.agenda holds the rules."""

    title = TextsField(_l("Title"))
    slug = StringField(
        _l("Address"),
        description=_l(
            "The last part of the session’s web address, e.g. opening. Empty: made from the title."
        ),
    )
    description = TextsField(_l("Description"), multiline=True)
    day = DateField(_l("Day"), validators=[Optional()])
    starts = TimeField(_l("Starts at (Geneva time)"), validators=[Optional()])
    ends = TimeField(_l("Ends at (Geneva time)"), validators=[Optional()])
    room = StringField(_l("Room"), description=_l("The Palexpo hall or room, e.g. Palexpo, Room A."))
    chairs = TextAreaField(
        _l("Chairs"),
        description=_l(
            "Email addresses of verified accounts, one per line. "
            "A participant named here becomes a session chair."
        ),
    )
    speakers = TextAreaField(
        _l("Invited speakers"), description=_l("One name per line; they need no account.")
    )
    themes = SelectMultipleField(_l("Linked themes"), coerce=to_id, validate_choice=False)
    threads = TextAreaField(
        _l("Linked threads"), description=_l("Thread numbers or addresses, one per line.")
    )
    moderation_mode = SelectField(_l("Q&A moderation"), validate_choice=False)
    speaker_deadline = DateTimeLocalField(
        _l("Speakers’ list requests accepted until (Geneva time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=_l("Leave empty to accept requests until the session ends."),
    )

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.moderation_mode.choices = select_choices(MODERATION_MODES.items())
        self.themes.choices = [(theme.id, theme.name) for theme in themes]


def _settings_form():
    """The settings form, one whole-number field per moderation setting."""
    fields = {
        key: IntegerField(
            label, description=help_text, validators=[InputRequired(_l("Enter a whole number."))]
        )
        for key, (_config, label, help_text, _low, _high) in SETTINGS.items()
    }
    return type("SettingsForm", (FlaskForm,), {"__doc__": "The moderation settings.", **fields})


SettingsForm = _settings_form()
