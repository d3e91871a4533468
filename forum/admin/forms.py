"""Secretariat forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from forum.forms import select_choices
from forum.moderation.models import WORD_ACTIONS
from forum.moderation.settings import SETTINGS
from forum.permissions import ROLE_LABELS


class DecisionForm(FlaskForm):
    """Verify or reject a registration; the reason is shown to the applicant."""

    reason = TextAreaField(
        _l("Reason (shown to the applicant; required to reject)"), validators=[Optional(), Length(max=2000)]
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
    """A theme of the Dialogue."""

    name = StringField(_l("Name"))
    slug = StringField(
        _l("Address"), description=_l("The last part of the theme's web address, e.g. ai-standards.")
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    position = IntegerField(_l("Position in the list"), validators=[Optional()])


class WordForm(FlaskForm):
    """A watched word or phrase and its action."""

    word = StringField(_l("Word or phrase"), description=_l("Matched as whole words, whatever the case."))
    action = SelectField(_l("When a post contains it"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = select_choices(WORD_ACTIONS.items())


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
