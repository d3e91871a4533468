"""Account forms: they check shape; rules live in accounts.services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from forum.accounts import names, services
from forum.accounts.models import STAKEHOLDER_GROUPS
from forum.forms import grouped_choices, select_choices
from forum.i18n import country_groups
from forum.rules import RuleViolation

REQUIRED = _l("This field is required.")


def strip(value):
    """Leading and trailing spaces are never meant, so they are dropped before validation."""
    return value.strip() if isinstance(value, str) else value


class IdentityForm(FlaskForm):
    """Name and stakeholder identity, shared by registration and the profile editor."""

    name = StringField(_l("Full name"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=120)])
    stakeholder_group = SelectField(_l("Stakeholder group"), validators=[DataRequired(REQUIRED)])
    country = SelectField(
        _l("Country"),
        description=_l("Required for Member State delegates: the State you represent."),
        validators=[Optional()],
    )
    organisation = StringField(
        _l("Organisation"),
        filters=[strip],
        description=_l("Ministry, company, university, organisation…"),
        validators=[DataRequired(REQUIRED), Length(max=200)],
    )
    job_title = StringField(_l("Job title (optional)"), validators=[Optional(), Length(max=200)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Labels depend on the reader's language, so the lists are built per request.
        self.stakeholder_group.choices = select_choices([("", _l("— Choose —")), *STAKEHOLDER_GROUPS.items()])
        self.country.choices = [
            *select_choices([("", _l("— Not applicable —"))]),
            *grouped_choices(country_groups()),
        ]


class ProfileForm(IdentityForm):
    """The profile editor: identity plus the @handle."""

    handle = StringField(
        _l("Handle"),
        filters=[strip],
        description=_l("Others mention you with @handle in posts."),
        validators=[DataRequired(REQUIRED), Length(max=40)],
    )


def strong_password(form, field):
    """The password's strength, judged by the service's rule and shown with every other field's mistakes."""
    problem = services.password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def email_field():
    """An address field: required, trimmed, well formed (deliverability is the confirmation mail's job)."""
    return EmailField(
        _l("Email address"),
        filters=[strip],
        validators=[
            DataRequired(REQUIRED),
            Email(_l("Enter a valid email address."), check_deliverability=False),
            Length(max=254),
        ],
    )


class RegisterForm(IdentityForm):
    """Self-registration."""

    email = email_field()
    password = PasswordField(
        _l("Password"),
        description=_l("At least 8 characters; long passphrases are welcome."),
        validators=[DataRequired(REQUIRED), strong_password],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(REQUIRED), EqualTo("password", _l("The two passwords differ."))],
    )

    consent = BooleanField(
        _l("I have read the privacy notice and accept it"),
        validators=[DataRequired(_l("Read and accept the privacy notice to register."))],
    )

    def validate_name(self, field):
        """A new account may not take a name reserved for staff or an institution (forum.accounts.names)."""
        try:
            names.refuse_impersonation(field.data, "name")
        except RuleViolation as error:
            raise ValidationError(error.message) from error


class LoginForm(FlaskForm):
    """Sign in."""

    email = EmailField(_l("Email address"), filters=[strip], validators=[DataRequired(REQUIRED)])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED)])


class PasswordForm(FlaskForm):
    """Change one's own password."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired(REQUIRED)])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(REQUIRED), strong_password])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(REQUIRED), EqualTo("new_password", _l("The two passwords differ."))],
    )


def code_field():
    """A second-factor code: six digits from the app, or a recovery code."""
    return StringField(
        _l("Authentication code"),
        filters=[strip],
        description=_l("The 6-digit code your authenticator app shows, or one of your recovery codes."),
        validators=[DataRequired(REQUIRED), Length(max=40)],
    )


class CodeForm(FlaskForm):
    """The second step of signing in, or a fresh proof before a sensitive action."""

    code = code_field()
    remember = BooleanField(_l("Remember this browser for 30 days"))


class EnrolForm(FlaskForm):
    """Confirm a new authenticator with its first code."""

    code = StringField(
        _l("Code from your authenticator app"),
        filters=[strip],
        description=_l("After adding the account to your app, type the 6-digit code it shows."),
        validators=[DataRequired(REQUIRED), Length(max=40)],
    )


class DisableTwoFactorForm(FlaskForm):
    """Turn two-factor sign-in off: the password and a code."""

    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED)])
    code = code_field()


class PasskeyForm(FlaskForm):
    """A security key's answer, which the page's script puts in `credential` (forum.accounts.passkeys)."""

    credential = HiddenField()
    remember = BooleanField(_l("Remember this browser for 30 days"))


class AddKeyForm(FlaskForm):
    """Add a security key under a name; the page's script puts the key's answer in `credential`."""

    name = StringField(
        _l("Name of the key"),
        filters=[strip],
        description=_l("So that you can tell your keys apart, e.g. “Blue USB key” or “Laptop”."),
        validators=[DataRequired(REQUIRED), Length(max=60)],
    )
    credential = HiddenField()
