"""The search form: a plain GET form, so a search is a link that can be shared or bookmarked."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SearchField, SelectField
from wtforms.validators import Optional, ValidationError

from forum.accounts.models import STAKEHOLDER_GROUPS
from forum.forms import select_choices
from forum.languages import filter_choices
from forum.search.services import MAX_QUERY
from forum.threads.models import THREAD_KINDS

BAD_DATE = _l("Enter a date as YYYY-MM-DD, for example 2026-07-06.")


class SearchForm(FlaskForm):
    """Words to find, and filters by theme, kind of thread, author's group, post's language and dates."""

    class Meta:
        # A search changes nothing and arrives by GET, so there is nothing for a CSRF token to protect.
        csrf = False

    q = SearchField(
        _l("Search for"),
        description=_l('Posts containing every word. Put a phrase in "quotes"; exclude a word with -word.'),
        render_kw={"maxlength": MAX_QUERY},
    )
    theme = SelectField(_l("Theme"), validators=[Optional()])
    kind = SelectField(_l("Kind of thread"), validators=[Optional()])
    group = SelectField(_l("Author's stakeholder group"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])
    date_from = DateField(
        _l("Posted from (Geneva date)"), name="from", invalid_value_message=BAD_DATE, validators=[Optional()]
    )
    date_to = DateField(
        _l("Posted until (Geneva date)"), name="to", invalid_value_message=BAD_DATE, validators=[Optional()]
    )

    def __init__(self, *args, themes=(), **kwargs):
        """The form, with `themes` to choose from."""
        super().__init__(*args, **kwargs)
        # Labels depend on the reader's language, so the lists are built per request.
        self.theme.choices = select_choices([("", _l("All themes")), *((t.slug, t.name) for t in themes)])
        self.kind.choices = select_choices([("", _l("All kinds")), *THREAD_KINDS.items()])
        self.group.choices = select_choices([("", _l("All groups")), *STAKEHOLDER_GROUPS.items()])
        self.language.choices = filter_choices()

    def validate_date_to(self, field):
        """The end of the range may not come before its start."""
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date comes before the start date."))

    @property
    def filters(self):
        """The chosen filters, as keyword arguments of services.search."""
        return {
            "theme": self.theme.data or None,
            "kind": self.kind.data or None,
            "group": self.group.data or None,
            "language": self.language.data or None,
            "date_from": self.date_from.data,
            "date_to": self.date_to.data,
        }
