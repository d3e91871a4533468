"""Staff-written texts (themes, the programme's sessions) in the six UN languages, with a fallback.

One value, `Texts`, holds a text per language ({"fr": "…", "en": "…"}), stored as one JSON column. A
reader gets the text in their language, else in the fallback language (English, the Dialogue's working
language, else the first given in the UN's order), flagged so that the page can mark it "Not yet
translated" with its own `lang` and `dir`. `str(texts)` is the reader's text: titles, options, CSV and
mail, which take no markup, need nothing more; pages show it with the `translated` macro
(templates/macros/language.html).
"""

from collections.abc import Mapping
from typing import NamedTuple

from flask import has_app_context
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.types import JSON, TypeDecorator
from wtforms import Field
from wtforms.utils import unset_value

from forum.languages import UN_LANGUAGES, lang_attrs, language_name, named_in
from forum.rules import RuleViolation

# The language of a text given without one: values stored before texts had languages, tests, scripts.
DEFAULT_LANGUAGE = "en"


def reader_language():
    """The reader's interface language as a bare code (e.g. "fr"); the default one outside a request."""
    locale = get_locale() if has_app_context() else None
    return str(locale).split("_")[0] if locale else DEFAULT_LANGUAGE


class Shown(NamedTuple):
    """The text a reader gets, the language it is in, and whether it stands in for theirs."""

    text: str
    language: str
    fallback: bool

    @property
    def attrs(self):
        """The lang and dir attributes of an element holding the text."""
        return lang_attrs(self.language)


class Texts(Mapping):
    """One staff-written text in some of the six UN languages: {code: text}, none empty; immutable."""

    __slots__ = ("_texts",)

    def __init__(self, texts=None):
        given = texts or {}
        self._texts = {code: given[code] for code in UN_LANGUAGES if given.get(code)}

    @classmethod
    def of(cls, value):
        """`value` as Texts: Texts, a {code: text} mapping, or a plain string in the default language."""
        if isinstance(value, Texts):
            return value
        if isinstance(value, str):
            return cls({DEFAULT_LANGUAGE: value.strip()})
        return cls(value)

    def __getitem__(self, code):
        return self._texts[code]

    def __iter__(self):
        return iter(self._texts)

    def __len__(self):
        return len(self._texts)

    def __repr__(self):
        return f"Texts({self._texts!r})"

    def __str__(self):
        return self.shown().text

    def shown(self, language=None):
        """The text for a reader of `language` (default: the current reader), else the fallback."""
        language = language or reader_language()
        if language in self._texts:
            return Shown(self._texts[language], language, False)
        for code in (DEFAULT_LANGUAGE, *UN_LANGUAGES):
            if code in self._texts:
                return Shown(self._texts[code], code, True)
        return Shown("", language, False)

    @property
    def default_text(self):
        """The text in the fallback language: what the audit log and generated addresses use."""
        return self.shown(DEFAULT_LANGUAGE).text


class TextsType(TypeDecorator):
    """A Texts column: a JSON object of language codes to texts; a plain string is the default language."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Store a plain dict of the given languages ({} for none)."""
        return dict(Texts.of(value if value is not None else {}))

    def process_result_value(self, value, dialect):
        """Read the stored object back as Texts."""
        return Texts.of(value or {})


class TextsViolation(RuleViolation):
    """A refused multilingual text; `language` names the language whose text is wrong, if one is."""

    def __init__(self, message, field, language=None):
        super().__init__(message, field=field)
        self.language = language


def cleaned(value, field, limit, required_message=None, multiline=False):
    """`value` (Texts, {code: text} or str) checked and trimmed; raises TextsViolation.

    Each language's text is at most `limit` characters; one-line texts have their spaces folded. With a
    `required_message`, at least one language must be given.
    """
    given = value if isinstance(value, Mapping) else Texts.of(value or "")
    unknown = sorted(set(given) - set(UN_LANGUAGES))
    if unknown:
        raise TextsViolation(
            _("Only the six official UN languages are accepted (not %(codes)s).", codes=", ".join(unknown)),
            field,
        )
    texts = {}
    for code in UN_LANGUAGES:
        text = str(given.get(code) or "")
        text = text.strip() if multiline else " ".join(text.split())
        if len(text) > limit:
            message = _("%(language)s: at most %(n)s characters.", language=language_name(code), n=limit)
            raise TextsViolation(message, field, language=code)
        texts[code] = text
    result = Texts(texts)
    if required_message and not result:
        raise TextsViolation(required_message, field)
    return result


class TextsField(Field):
    """One input per UN language, named after the field and the language (title-fr); its data is Texts.

    The form carries what was typed; `cleaned` in the service decides. A TextsViolation naming a language
    goes beside that language's input, any other beside the group (forum.forms.attach_error).
    """

    def __init__(self, label=None, validators=None, multiline=False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.multiline = multiline
        self.language_errors = {}

    def process(self, formdata, data=unset_value, extra_filters=None):
        """Take the six inputs from a submitted form, else the object's or default value."""
        self.process_errors = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = data
        if formdata is not None:
            data = {code: formdata.get(self.input_name(code), "") for code in UN_LANGUAGES}
        self.data = Texts.of(data or {})

    def input_name(self, code):
        """The name (and id) of the input for language `code`."""
        return f"{self.name}-{code}"

    def take_error(self, error):
        """Keep a service's message, under its language when it names one."""
        self.errors = [*self.errors, error.message]
        language = getattr(error, "language", None)
        if language:
            self.language_errors[language] = [*self.language_errors.get(language, []), error.message]

    @property
    def group_errors(self):
        """The messages that belong to the whole group rather than to one language."""
        by_language = [message for messages in self.language_errors.values() for message in messages]
        return [message for message in self.errors if message not in by_language]


def init_app(app):
    """Let templates pick a text for the reader (`texts|shown`) and name the languages in their own."""
    app.jinja_env.filters["shown"] = lambda value: Texts.of(value).shown()
    app.jinja_env.globals.update(
        un_languages=UN_LANGUAGES, language_endonyms={code: named_in(code, code) for code in UN_LANGUAGES}
    )
