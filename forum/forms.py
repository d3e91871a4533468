"""Form helpers shared by the features."""

from wtforms.fields.choices import SelectChoice


def select_choices(pairs):
    """WTForms select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]
