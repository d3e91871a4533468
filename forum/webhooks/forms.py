"""The secretariat's webhook forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, StringField
from wtforms.validators import Length, Optional

from forum.forms import select_choices
from forum.webhooks.outbox import EVENTS


class EndpointForm(FlaskForm):
    """An endpoint's address, description and events; the services check the values."""

    url = StringField(_l("Address (URL) that receives the events"), validators=[Length(max=500)])
    description = StringField(_l("Description (optional)"), validators=[Optional(), Length(max=200)])
    # Listed as checkboxes by the template; unknown values are refused by the services.
    events = SelectMultipleField(_l("Events"), validate_choice=False)
    enabled = BooleanField(_l("Enabled: send events to this address"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.events.choices = select_choices((kind.name, kind.label) for kind in EVENTS.values())


class NewEndpointForm(EndpointForm):
    """A new endpoint, with an optional secret of the receiver's choosing."""

    secret = StringField(
        _l("Signing secret (optional)"),
        description=_l("Leave empty to have a strong secret made. It is shown once, after saving."),
        validators=[Optional(), Length(max=200)],
    )
