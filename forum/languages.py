"""The languages posts and questions are written in: the ones offered, offline detection, names and forms.

Detection uses py3langid (a naive Bayes model shipped inside the package: no download, no randomness),
restricted to the languages offered here, on the text left once Markdown, links, mentions and quotes
are taken out. Too little text, or no clear winner, gives None: the author can still say.
"""

import re
from functools import cache

from babel import Locale
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import SelectField

from forum.forms import select_choices
from forum.rules import RuleViolation

# The six official languages of the United Nations first, then widely written languages of participants.
UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
OTHER_LANGUAGES = (
    "de", "pt", "it", "nl", "pl", "uk", "tr", "fa", "he", "hi",
    "bn", "ur", "id", "ms", "vi", "th", "ja", "ko", "sw", "am", "ha",
)  # fmt: skip
CONTENT_LANGUAGES = UN_LANGUAGES + OTHER_LANGUAGES
RTL_CONTENT = frozenset({"ar", "fa", "he", "ur"})
# Below this much text (CJK characters weigh more: each is about a word) detection is a guess.
MIN_WEIGHT = 12
MIN_CONFIDENCE = 0.5

FENCED_CODE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
QUOTE_LINE = re.compile(r"^\s*>.*$", re.MULTILINE)
INLINE_CODE = re.compile(r"`[^`]*`")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
URL = re.compile(r"(?:https?://|mailto:|www\.)\S+", re.IGNORECASE)
MENTION = re.compile(r"@[\w.-]+")
TAG = re.compile(r"<[^>]+>")
MARKUP = re.compile(r"[*_#>|~=\-]+")
WIDE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


@cache
def _identifier():
    """The language identifier, loaded once per process (about a second) and limited to our languages."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(CONTENT_LANGUAGES))
    return identifier


def plain_text(text):
    """The author's own words in a Markdown text: no code, quotes of others, links' addresses, mentions."""
    text = FENCED_CODE.sub(" ", text or "")
    text = QUOTE_LINE.sub(" ", text)
    text = INLINE_CODE.sub(" ", text)
    text = LINK.sub(r"\1", text)
    text = URL.sub(" ", text)
    text = MENTION.sub(" ", text)
    text = TAG.sub(" ", text)
    return " ".join(MARKUP.sub(" ", text).split())


def _weight(text):
    """How much language evidence a text holds: its letters, CJK characters counted three times."""
    return sum(ch.isalpha() for ch in text) + 2 * len(WIDE.findall(text))


def detect(text):
    """The offered language `text` is written in, or None when it is too short or unclear."""
    words = plain_text(text)
    if _weight(words) < MIN_WEIGHT:
        return None
    code, confidence = _identifier().classify(words)
    return code if confidence >= MIN_CONFIDENCE else None


def choose(chosen, text):
    """The language the author chose, else the detected one; a RuleViolation for a code not offered."""
    if not chosen:
        return detect(text)
    if chosen not in CONTENT_LANGUAGES:
        raise RuleViolation(_("Choose one of the options."), field="language")
    return chosen


def offered(value):
    """`value` when it is an offered language (a filter from the URL), else None."""
    return value if value in CONTENT_LANGUAGES else None


def language_name(code):
    """The language's name in the reader's language, from Babel; 'Unknown language' for None."""
    return named_in(str(get_locale()), code)


@cache
def named_in(locale, code):
    """The name of `code` in `locale`: parsing a locale costs more than a page's worth of options."""
    names = Locale.parse(locale).languages
    name = names.get(code or "und") or names.get("und") or code
    return name[:1].upper() + name[1:]


def text_dir(code):
    """The writing direction of content in `code`: rtl, ltr, or auto when the language is unknown."""
    if not code:
        return "auto"
    return "rtl" if code in RTL_CONTENT else "ltr"


def lang_attrs(code):
    """The lang and dir attributes of an element holding content in `code` (dir="auto" when unknown)."""
    if not code:
        return Markup(' dir="auto"')
    return Markup(' lang="%s" dir="%s"') % (code, text_dir(code))


def differs_from_page(code):
    """True when content in `code` is not in the page's language, so its label is worth showing."""
    return code != str(get_locale()).split("_")[0]


def content_language_choices(first_label):
    """(code, localised name) options: `first_label` with no value, then the offered languages."""
    return select_choices([("", first_label), *((code, language_name(code)) for code in CONTENT_LANGUAGES)])


def compose_choices():
    """Options of the Language select on forms that write a post or question."""
    return content_language_choices(_l("Detect automatically"))


def filter_choices():
    """Options of the Language filter on lists."""
    return content_language_choices(_l("All languages"))


class LanguageMixin:
    """The Language select of a form that writes a post or question; the services check the value."""

    language = SelectField(
        _l("Language"),
        description=_l("The language you write in. Left to detection, it is recognised from your text."),
        validate_choice=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Names in the reader's language, so the options are built per request.
        self.language.choices = compose_choices()


def init_app(app):
    """Expose the content-language helpers to templates."""
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.filters["lang_attrs"] = lang_attrs
    app.jinja_env.globals.update(differs_from_page=differs_from_page, language_filter_choices=filter_choices)
