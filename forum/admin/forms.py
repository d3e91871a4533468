"""Secretariat forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from forum.forms import select_choices
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
