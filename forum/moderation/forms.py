"""Moderators' forms: decisions with reasons, thread settings, sanctions, notes, the audit filter, flags."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from forum.forms import select_choices
from forum.i18n import dialogue_zone
from forum.moderation.models import FLAG_REASONS, SANCTIONS


class ReasonForm(FlaskForm):
    """A decision with a reason the author is told."""

    reason = TextAreaField(_l("Reason (the author is told)"))


class EditApproveForm(FlaskForm):
    """Correct a held or flagged post, then approve it."""

    body = TextAreaField(_l("Post text"))


class ThreadActionForm(FlaskForm):
    """A change to a thread, with an optional reason for the audit log."""

    reason = StringField(_l("Reason (for the audit log)"), validators=[Optional()])


class MoveForm(ThreadActionForm):
    """File the thread under another theme."""

    theme = SelectField(_l("New theme"))


class SlowModeForm(ThreadActionForm):
    """The least time between two posts of one participant."""

    seconds = SelectField(_l("Slow mode"), coerce=int)


class SanctionForm(FlaskForm):
    """Warn, silence or suspend a user."""

    kind = SelectField(_l("Sanction"))
    reason = TextAreaField(_l("Reason (the user is told)"))
    ends_at = DateTimeLocalField(
        _l("Ends (Geneva time)"),
        validators=[Optional()],
        description=_l("Needed to silence or suspend; a warning has no end."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = select_choices(SANCTIONS.items())

    def ends_at_utc(self):
        """The end date typed in Geneva time, as an aware datetime (None when empty)."""
        if self.ends_at.data is None:
            return None
        return self.ends_at.data.replace(tzinfo=dialogue_zone())


class NoteForm(FlaskForm):
    """A staff note about a user."""

    body = TextAreaField(_l("Staff note (only staff read it)"))


class AuditFilterForm(FlaskForm):
    """Search the audit log by actor, action and date."""

    class Meta:
        csrf = False

    actor = StringField(_l("Staff member (name or email)"), validators=[Optional()])
    action = SelectField(_l("Action"), validators=[Optional()])
    start = DateField(_l("From (date)"), validators=[Optional()])
    end = DateField(_l("To (date)"), validators=[Optional()])


class FlagForm(FlaskForm):
    """A participant reports a post to the moderators."""

    reason = RadioField(_l("What is wrong with this post?"), choices=select_choices(FLAG_REASONS.items()))
    note = TextAreaField(
        _l("Note for the moderators (required for “something else”)"), validators=[Optional()]
    )
