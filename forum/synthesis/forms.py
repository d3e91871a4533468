"""Key takeaway forms: they carry the input; the rules that refuse it live in forum.synthesis.services."""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from forum.forms import select_choices
from forum.languages import UN_LANGUAGES, language_name
from forum.params import id_or_none
from forum.synthesis.models import BODY_MAX, CITATIONS_MAX, TAKEAWAY_KINDS, TITLE_MAX


class TakeawayForm(FlaskForm):
    """Draft or change a key takeaway, choosing what it cites by ticking boxes or pasting links."""

    kind = SelectField(_l("Kind of takeaway"))
    title = StringField(_l("Title"), description=_l("Up to %(n)s characters.", n=TITLE_MAX))
    body = TextAreaField(_l("Takeaway"), description=_l("Markdown, up to %(n)s characters.", n=BODY_MAX))
    language = SelectField(_l("Language it is written in"))
    session = SelectField(_l("Session it is drawn from"), coerce=id_or_none, validate_choice=False)
    cited = SelectMultipleField(
        _l("Cited"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )
    links = TextAreaField(
        _l("Add citations by link"),
        description=_l(
            "One link per line: a post (or a thread, for its opening post), a question of a session's Q&A "
            "or a Partnerships Hub entry; at most %(n)s citations in all.",
            n=CITATIONS_MAX,
        ),
    )

    def __init__(self, sessions, candidates, *args, **kwargs):
        """`sessions`: the theme's sessions the drafter may choose; `candidates`: [(key, label)] to tick."""
        super().__init__(*args, **kwargs)
        self.kind.choices = select_choices(TAKEAWAY_KINDS.items())
        self.language.choices = select_choices((code, language_name(code)) for code in UN_LANGUAGES)
        if not self.language.data:
            self.language.data = str(get_locale()).split("_")[0]
        self.session.choices = [("", _l("None: the whole theme")), *((s.id, s.title) for s in sessions)]
        self.cited.choices = candidates
