"""Q&A and speakers' list forms: they carry the input; the rules that refuse it live in the services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from forum.forms import select_choices
from forum.languages import LanguageMixin
from forum.params import to_id
from forum.qa.models import MODERATION_MODES, QA_STATES, QUESTION_MAX, STATEMENT_LANGUAGES


class AskForm(LanguageMixin, FlaskForm):
    """Ask a question in a session."""

    body = TextAreaField(
        _l("Your question"), description=_l("Up to %(n)s characters of plain text.", n=QUESTION_MAX)
    )
    anonymous = BooleanField(_l("Ask anonymously: participants see only your stakeholder group"))


class EditQuestionForm(LanguageMixin, FlaskForm):
    """A moderator corrects a question's text or language."""

    body = TextAreaField(_l("Question text"), description=_l("The change is recorded in the audit log."))


class QuestionLanguageForm(LanguageMixin, FlaskForm):
    """The asker says which language their question is in."""


class MergeForm(FlaskForm):
    """A moderator merges a duplicate into another question."""

    target = SelectField(_l("Merge into"), coerce=to_id, validate_choice=False)


class SettingsForm(FlaskForm):
    """Open, close or archive the Q&A; choose its moderation."""

    qa_state = SelectField(_l("Q&A"))
    moderation_mode = SelectField(_l("Moderation"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.qa_state.choices = select_choices(QA_STATES.items())
        self.moderation_mode.choices = select_choices(MODERATION_MODES.items())


class SlotRequestForm(FlaskForm):
    """Request a slot in the speakers' list."""

    on_behalf_of = StringField(_l("On behalf of (delegation or organisation)"))
    language = SelectField(_l("Language of the statement"))
    minutes = IntegerField(_l("Minutes requested"), validators=[Optional()], default=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = select_choices(STATEMENT_LANGUAGES.items())


class DeadlineForm(FlaskForm):
    """The deadline for slot requests, in Geneva time."""

    deadline = DateTimeLocalField(
        _l("Requests accepted until (Geneva time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=_l("Leave empty to accept requests until the session ends."),
    )
