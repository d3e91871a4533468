"""The dashboard's filters: a plain GET form, so a filtered dashboard is a link to share or bookmark."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Optional, ValidationError

from forum.forms import select_choices
from forum.insights.queries import Filters

BAD_DATE = _l("Enter a date as YYYY-MM-DD, for example 2026-07-06.")


class FilterForm(FlaskForm):
    """Dates (UTC), a theme and a session of the programme."""

    class Meta:
        # Filtering changes nothing and arrives by GET: there is nothing for a CSRF token to protect.
        csrf = False

    date_from = DateField(
        _l("From (UTC date)"), name="from", invalid_value_message=BAD_DATE, validators=[Optional()]
    )
    date_to = DateField(
        _l("Until (UTC date)"), name="to", invalid_value_message=BAD_DATE, validators=[Optional()]
    )
    theme = SelectField(_l("Theme"), validators=[Optional()])
    session = SelectField(_l("Session"), validators=[Optional()])

    def __init__(self, *args, themes=(), sessions=(), **kwargs):
        """The form, with `themes` and `sessions` (rows with id and name or title) to choose from."""
        super().__init__(*args, **kwargs)
        self.theme.choices = select_choices([("", _l("All themes")), *((str(t.id), t.name) for t in themes)])
        self.session.choices = select_choices(
            [("", _l("All sessions")), *((str(s.id), s.title) for s in sessions)]
        )

    def validate_date_to(self, field):
        """The end of the range may not come before its start."""
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date comes before the start date."))

    @property
    def filters(self):
        """The chosen filters (the form must have validated)."""
        return Filters(
            date_from=self.date_from.data,
            date_to=self.date_to.data,
            theme_id=int(self.theme.data) if self.theme.data else None,
            session_id=int(self.session.data) if self.session.data else None,
        )
