"""Thread and post forms: they carry the text; the rules that refuse it live in threads.services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField

from forum.forms import select_choices
from forum.languages import LanguageMixin
from forum.params import id_or_none
from forum.threads.models import ATTRIBUTION_MODES, THREAD_KINDS

BODY_HELP = _l(
    "Markdown: **bold**, *italic*, [link](https://…), > quote, - list. Mention someone with @handle."
)


class ThreadMetaForm(FlaskForm):
    """Title, kind, attribution and tags of a thread."""

    title = StringField(_l("Title"))
    kind = SelectField(_l("Kind of thread"))
    attribution = SelectField(
        _l("Attribution"),
        description=_l(
            "Chatham House: participants see only the stakeholder group and country of each author, "
            "never the name or organisation."
        ),
    )
    tags = StringField(_l("Tags (optional, separated by commas)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = select_choices(THREAD_KINDS.items())
        self.attribution.choices = select_choices(ATTRIBUTION_MODES.items())


class ThreadForm(LanguageMixin, ThreadMetaForm):
    """Open a thread: its theme, its meta data and the first post."""

    theme = SelectField(_l("Theme"))
    body = TextAreaField(_l("Your post"), description=BODY_HELP)

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.theme.choices = select_choices([("", _l("— Choose —")), *((t.slug, t.name) for t in themes)])


class ReplyForm(LanguageMixin, FlaskForm):
    """A reply, possibly answering a given post."""

    body = TextAreaField(_l("Your reply"), description=BODY_HELP)
    # The post answered, or None: a tampered value answers no post rather than reaching the database.
    reply_to = HiddenField(filters=[id_or_none])


class PostForm(LanguageMixin, FlaskForm):
    """Edit a post's text and language."""

    body = TextAreaField(_l("Text"), description=BODY_HELP)
