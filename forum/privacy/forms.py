"""Privacy forms: they check shape; rules live in forum.privacy.erasure."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired

from forum.accounts.forms import REQUIRED


class DeleteAccountForm(FlaskForm):
    """Delete one's own account: the password, and saying one understands."""

    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED)])
    understood = BooleanField(
        _l("I understand that my account and personal data are deleted for good"),
        validators=[DataRequired(_l("Tick this box to confirm."))],
    )
    remove_writing = BooleanField(
        _l("Also remove what I wrote: my posts, thread titles and questions"),
        description=_l("Ticked, their text becomes “Removed at the author's request”; others' replies stay."),
    )


class ErasureRequestForm(FlaskForm):
    """The secretariat deletes an account at its owner's request, received by mail or letter."""

    email = EmailField(_l("Email address of the account"), validators=[DataRequired(REQUIRED)])
    remove_writing = BooleanField(_l("The owner also asks for the removal of what they wrote"))
    understood = BooleanField(
        _l("I have checked that the request comes from the owner of this account"),
        validators=[DataRequired(_l("Tick this box to confirm."))],
    )
