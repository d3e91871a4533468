"""Account forms: they check shape; rules live in accounts.services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from forum.accounts.models import STAKEHOLDER_GROUPS
from forum.i18n import country_choices

REQUIRED = _l("This field is required.")


def _group_choices():
    """Stakeholder groups for a select, with an empty first choice."""
    return [("", _l("— Choose —")), *STAKEHOLDER_GROUPS.items()]


class IdentityForm(FlaskForm):
    """Name and stakeholder identity, shared by registration and the profile editor."""

    name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    stakeholder_group = SelectField(
        _l("Stakeholder group"), choices=_group_choices, validators=[DataRequired(REQUIRED)]
    )
    country = SelectField(
        _l("Country"),
        description=_l("Required for Member State delegates: the State you represent."),
        validators=[Optional()],
    )
    organisation = StringField(
        _l("Organisation"),
        description=_l("Ministry, company, university, organisation…"),
        validators=[DataRequired(REQUIRED), Length(max=200)],
    )
    job_title = StringField(_l("Job title (optional)"), validators=[Optional(), Length(max=200)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Country names depend on the reader's language, so the list is built per request.
        self.country.choices = [("", _l("— Not applicable —")), *country_choices()]


class RegisterForm(IdentityForm):
    """Self-registration."""

    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(REQUIRED),
            Email(_l("Enter a valid email address."), check_deliverability=False),
            Length(max=254),
        ],
    )
    password = PasswordField(
        _l("Password"),
        description=_l("At least 8 characters; long passphrases are welcome."),
        validators=[DataRequired(REQUIRED)],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(REQUIRED), EqualTo("password", _l("The two passwords differ."))],
    )


class LoginForm(FlaskForm):
    """Sign in."""

    email = EmailField(_l("Email address"), validators=[DataRequired(REQUIRED)])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED)])


class PasswordForm(FlaskForm):
    """Change one's own password."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired(REQUIRED)])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(REQUIRED)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(REQUIRED), EqualTo("new_password", _l("The two passwords differ."))],
    )

