"""Form helpers shared by the features."""

from flask import render_template
from wtforms.fields.choices import SelectChoice


def select_choices(pairs):
    """WTForms select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def grouped_choices(groups):
    """WTForms select options from (group label, [(value, label), …]) pairs, shown as <optgroup>s."""
    return [SelectChoice(value, label, optgroup=group) for group, pairs in groups for value, label in pairs]


def form_page(template, form, status=None, **context):
    """A form's page: 422 when it comes back after a submission (its errors beside the fields), else 200;
    `status` when the view knows better (403 for a refusal)."""
    return render_template(template, form=form, **context), status or (422 if form.is_submitted() else 200)


def attach_error(form, error):
    """Show a service's RuleViolation beside its field (a field may place it itself), or atop the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        form.form_errors.append(error.message)
    elif hasattr(field, "take_error"):
        field.take_error(error)
    else:
        field.errors = [*field.errors, error.message]
