"""Mail forms: asking for a reset link and choosing a new password."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo

from forum.accounts.forms import REQUIRED, email_field, strong_password


class ForgotPasswordForm(FlaskForm):
    """The address to send a reset link to."""

    email = email_field()


class ResetPasswordForm(FlaskForm):
    """A new password, typed twice."""

    new_password = PasswordField(
        _l("New password"),
        description=_l("At least 8 characters; long passphrases are welcome."),
        validators=[DataRequired(REQUIRED), strong_password],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(REQUIRED), EqualTo("new_password", _l("The two passwords differ."))],
    )


class ChangeEmailForm(FlaskForm):
    """A new address, and the password."""

    email = email_field()
    password = PasswordField(_l("Current password"), validators=[DataRequired(REQUIRED)])
