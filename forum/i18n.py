"""Languages, Geneva time and the UN's country names."""

from datetime import datetime, time
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import current_app, has_request_context, request
from flask_babel import Domain, get_locale, get_translations
from flask_babel import gettext as _
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from forum import countries
from forum.extensions import babel

# Names in the UI's own language, so a reader finds theirs whatever the active locale.
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "Français",
    "ar": "العربية",
    "zh": "中文",
    "ru": "Русский",
    "es": "Español",
}
RTL_LANGUAGES = {"ar"}


def chosen_language():
    """The language picked with the switcher, from its own cookie (not the session: see remember_language)."""
    choice = request.cookies.get(current_app.config["LANGUAGE_COOKIE_NAME"])
    return choice if choice in current_app.config["LANGUAGES"] else None


def remember_language(response, language):
    """Keep the switcher's choice in a preference cookie of its own.

    Not in the session: an anonymous visitor then has no session cookie, and a shared cache can keep
    their pages, keyed by this cookie and Accept-Language (docs/deploy.md).
    """
    config = current_app.config
    response.set_cookie(
        config["LANGUAGE_COOKIE_NAME"],
        language,
        max_age=config["LANGUAGE_COOKIE_MAX_AGE"],
        secure=config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response


def select_locale():
    """The account's language, else the one picked with the switcher, else the browser's, else English."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    user_locale = getattr(current_user, "locale", None) if current_user else None
    for choice in (user_locale, chosen_language()):
        if choice in languages:
            return choice
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def text_direction():
    """'rtl' for right-to-left languages, else 'ltr'."""
    return "rtl" if str(get_locale()) in RTL_LANGUAGES else "ltr"


def dialogue_zone():
    """The Dialogue's time zone (Geneva): where its deadlines and sessions are set."""
    return ZoneInfo(current_app.config["TIMEZONE"])


def _in_geneva(value):
    """An aware datetime converted to the Dialogue's time zone (zoneinfo knows DST after 2037, pytz not)."""
    return value.astimezone(dialogue_zone())


def geneva_time(value):
    """The Geneva clock time of a UTC datetime, e.g. 10:00, in the active locale."""
    local = _in_geneva(value)
    return _clock(str(get_locale()), local.hour, local.minute)


@lru_cache(maxsize=4096)
def _clock(locale, hour, minute):
    """A clock time in `locale` (a page of posts repeats the same few; Babel formats each in ~50 µs)."""
    return babel_dates.format_time(time(hour, minute), "short", locale=locale)


@lru_cache(maxsize=4096)
def _day(locale, day):
    """A date in `locale`, medium length."""
    return babel_dates.format_date(day, "medium", locale=locale)


def geneva(value):
    """A UTC datetime as Geneva time with the zone named, in the active locale."""
    if value is None:
        return ""
    return geneva_in(str(get_locale()), _("%(date)s, %(time)s Geneva time (UTC%(offset)s)"), value)


def geneva_in(locale, pattern, value):
    """`value` as Geneva time in `locale`, with `pattern`: the translated words of `geneva` around it."""
    local = _in_geneva(value)
    offset = f"{int(local.utcoffset().total_seconds() // 3600):+d}"
    return pattern % {
        "date": _day(locale, local.date()),
        "time": _clock(locale, local.hour, local.minute),
        "offset": offset,
    }


def utc_datetime(value):
    """A UTC datetime with date and seconds, in the active locale (the audit log's clock)."""
    return babel_dates.format_datetime(value, "medium", tzinfo=ZoneInfo("UTC"), locale=get_locale())


def number(value):
    """A count in the active locale: digit grouping such as 1,234 or 1 234."""
    if isinstance(value, str):  # a shared page's placeholder, filled in per reader (forum.threads.page)
        return value
    return babel_numbers.format_decimal(value, locale=get_locale())


def _localised(variables):
    """A message's values with their integers written as the active locale writes numbers."""
    return {
        key: number(value) if isinstance(value, int) and not isinstance(value, bool) else value
        for key, value in variables.items()
    }


class NumberFormattingDomain(Domain):
    """Flask-Babel's messages, with the numbers they hold (limits, counts, seconds) through Babel."""

    def gettext(self, string, **variables):
        """The translation, its integers localised."""
        text = self.get_translations().ugettext(string)
        return text % _localised(variables) if variables else text

    def ngettext(self, singular, plural, num, **variables):
        """The plural form for `num`, its integers localised."""
        variables.setdefault("num", num)
        return self.get_translations().ungettext(singular, plural, num) % _localised(variables)


def _fill(context, text, variables):
    """A translated template string with its values, escaped as Jinja's own gettext does."""
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 - our own catalogs' text; the values are escaped by Markup's %
    return text % _localised(variables)


@pass_context
def _template_gettext(context, string, **variables):
    """Templates' _() and gettext(): as Jinja's own, integers localised."""
    return _fill(context, get_translations().ugettext(string), variables)


@pass_context
def _template_ngettext(context, singular, plural, num, **variables):
    """Templates' ngettext(): as Jinja's own, integers localised."""
    variables.setdefault("num", num)
    return _fill(context, get_translations().ungettext(singular, plural, num), variables)


def local_deadline(name):
    """A configured Geneva-time deadline (e.g. REGISTRATION_DEADLINE) as an aware datetime."""
    naive = datetime.fromisoformat(current_app.config[name])
    return naive.replace(tzinfo=dialogue_zone())


@cache
def _cldr_territories(locale):
    """CLDR's territory names in `locale`: only for a stored code the UN list lacks (Taiwan, forum/data)."""
    return Locale.parse(locale).territories


def country_name(code):
    """The UN name of an ISO 3166-1 alpha-2 code (forum/data/countries.csv) in the active locale."""
    return country_in(str(get_locale()), code)


def country_in(locale, code):
    """`country_name` in `locale`, the active language."""
    if not code:
        return ""
    return countries.name_in(locale, code) or _cldr_territories(locale).get(code, code)


def country_groups():
    """[(label, [(code, name), …])]: the UN's Member and observer States, then other territories."""
    states, territories = countries.ordered(str(get_locale()))
    return [
        (_("United Nations Member States and observer States"), states),
        (_("Other territories"), territories),
    ]


def init_app(app):
    """Bind Flask-Babel and expose language helpers to templates."""
    babel.init_app(app, locale_selector=select_locale)
    babel.domain_instance = NumberFormattingDomain()
    app.jinja_env.globals.update(gettext=_template_gettext, ngettext=_template_ngettext)
    app.jinja_env.filters["geneva"] = geneva
    app.jinja_env.filters["geneva_time"] = geneva_time
    app.jinja_env.filters["country"] = country_name
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["utc_datetime"] = utc_datetime
    app.jinja_env.globals.update(
        text_direction=text_direction,
        language_names={code: LANGUAGE_NAMES[code] for code in app.config["LANGUAGES"]},
        current_locale=lambda: str(get_locale()),
    )
