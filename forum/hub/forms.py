"""Hub forms: they carry what was typed; the rules that refuse it live in hub.services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import DateInput, EmailInput

from forum.accounts.models import STAKEHOLDER_GROUPS
from forum.forms import grouped_choices, select_choices
from forum.hub.models import KINDS, OVERALL, PROGRESS, REGIONS
from forum.i18n import country_groups

MULTIPLE_HELP = _l("Hold Ctrl (or Cmd) to choose several.")


def area_choices():
    """Regions, then the UN's States, then other territories, by their names in the reader's language."""
    return grouped_choices([(_l("Regions"), REGIONS.items()), *country_groups()])


class ContributionForm(FlaskForm):
    """Everything a contribution says about itself."""

    kind = SelectField(_l("Kind of contribution"), validate_choice=False)
    title = StringField(_l("Title"))
    summary = TextAreaField(_l("Summary (one paragraph)"))
    description = TextAreaField(
        _l("Description"), description=_l("Markdown: **bold**, *italic*, [link](https://…), - list.")
    )
    lead_organisation = StringField(_l("Lead organisation"))
    partners = TextAreaField(_l("Partner organisations (optional, one per line)"))
    groups = SelectMultipleField(
        _l("Stakeholder groups involved"), description=MULTIPLE_HELP, validate_choice=False
    )
    areas = SelectMultipleField(
        _l("Countries or regions covered"), description=MULTIPLE_HELP, validate_choice=False
    )
    themes = SelectMultipleField(_l("Themes"), description=MULTIPLE_HELP, validate_choice=False)
    start_date = StringField(_l("Start date"), widget=DateInput())
    end_date = StringField(_l("End date (optional)"), widget=DateInput())
    deliverables = TextAreaField(
        _l("Deliverables"),
        description=_l(
            "One per line: the target date, then the deliverable, e.g. 2026-12-31 Pilot in three countries"
        ),
    )
    links = TextAreaField(_l("Links (optional, one per line, http:// or https://)"))
    contact_email = StringField(
        _l("Contact email"),
        widget=EmailInput(),
        description=_l("Shown only to signed-in verified participants."),
    )

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = select_choices([("", _l("— Choose —")), *KINDS.items()])
        self.groups.choices = select_choices(STAKEHOLDER_GROUPS.items())
        self.areas.choices = area_choices()
        self.themes.choices = select_choices((t.slug, t.name) for t in themes)

    def values(self):
        """The typed values as the service expects them."""
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}

    def fill(self, contribution):
        """Show a saved contribution's values."""
        for name in ("kind", "title", "summary", "description", "lead_organisation", "partners", "links"):
            getattr(self, name).data = getattr(contribution, name)
        self.contact_email.data = contribution.contact_email
        self.groups.data = contribution.codes("group")
        self.areas.data = contribution.codes("area")
        self.themes.data = [t.slug for t in contribution.themes]
        self.start_date.data = contribution.start_date.isoformat()
        self.end_date.data = contribution.end_date.isoformat() if contribution.end_date else ""
        self.deliverables.data = "\n".join(
            f"{d.target_date.isoformat()} {d.title}" for d in contribution.deliverables
        )


class ProgressForm(FlaskForm):
    """A dated progress update on one deliverable."""

    deliverable = SelectField(_l("Deliverable"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    reported_on = StringField(_l("Date of the update"), widget=DateInput())
    note = TextAreaField(_l("What happened (optional)"))

    def __init__(self, *args, deliverables=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.deliverable.choices = select_choices((str(d.id), d.title) for d in deliverables)
        self.status.choices = select_choices(PROGRESS.items())


class JoinForm(FlaskForm):
    """Ask that an organisation join a partnership or coalition."""

    organisation = StringField(_l("Your organisation"))
    message = TextAreaField(_l("Message to the lead (optional)"))


class DecisionForm(FlaskForm):
    """The secretariat's decision; the reason is required to return or reject."""

    reason = TextAreaField(
        _l("Reason (required to return or reject; the submitter sees it)"),
    )


class FilterForm(FlaskForm):
    """The public listing's search and filters: a GET form, so a filtered list is a shareable link."""

    class Meta:
        # Filtering changes nothing and arrives by GET: there is nothing for a CSRF token to protect.
        csrf = False

    q = SearchField(
        _l("Search the Hub"), description=_l("Titles, summaries, descriptions and organisations.")
    )
    kind = SelectField(_l("Kind"), validate_choice=False)
    theme = SelectField(_l("Theme"), validate_choice=False)
    group = SelectField(_l("Stakeholder group"), validate_choice=False)
    area = SelectField(_l("Country or region"), validate_choice=False)
    status = SelectField(_l("Progress"), validate_choice=False)

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = select_choices([("", _l("All kinds")), *KINDS.items()])
        self.theme.choices = select_choices([("", _l("All themes")), *((t.slug, t.name) for t in themes)])
        self.group.choices = select_choices([("", _l("All groups")), *STAKEHOLDER_GROUPS.items()])
        self.area.choices = [*select_choices([("", _l("Everywhere"))]), *area_choices()]
        self.status.choices = select_choices([("", _l("Any progress")), *OVERALL.items()])
