"""Privacy forms: they check shape; rules live in forum.privacy.erasure."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired

from forum.accounts.forms import REQUIRED


class DeleteAccountForm(FlaskForm):
    """Delete one's own account: the password, and saying one understands."""

    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED)])
    understood = BooleanField(
        _l("I understand that my account and personal data are deleted for good"),
        validators=[DataRequired(_l("Tick this box to confirm."))],
    )
