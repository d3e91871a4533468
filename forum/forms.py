"""Form helpers shared by the features."""

from wtforms.fields.choices import SelectChoice


def select_choices(pairs):
    """WTForms select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def grouped_choices(groups):
    """WTForms select options from (group label, [(value, label), …]) pairs, shown as <optgroup>s."""
    return [SelectChoice(value, label, optgroup=group) for group, pairs in groups for value, label in pairs]


def attach_error(form, error):
    """Show a service's RuleViolation beside its field, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
