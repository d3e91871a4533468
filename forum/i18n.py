"""Languages, Geneva time and localised country names."""

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

import pycountry
from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

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


def select_locale():
    """The account's language, else the one picked with the switcher, else the browser's, else English."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    user_locale = getattr(current_user, "locale", None) if current_user else None
    for choice in (user_locale, session.get("locale")):
        if choice in languages:
            return choice
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def text_direction():
    """'rtl' for right-to-left languages, else 'ltr'."""
    return "rtl" if str(get_locale()) in RTL_LANGUAGES else "ltr"


def _in_geneva(value):
    """An aware datetime converted to the Dialogue's time zone (zoneinfo knows DST after 2037, pytz not)."""
    return value.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))


def geneva_time(value):
    """The Geneva clock time of a UTC datetime, e.g. 10:00, in the active locale."""
    local = _in_geneva(value)
    return babel_dates.format_time(local, "short", tzinfo=local.tzinfo, locale=get_locale())


def geneva(value):
    """A UTC datetime as Geneva time with the zone named, in the active locale."""
    if value is None:
        return ""
    local = _in_geneva(value)
    return _(
        "%(date)s, %(time)s Geneva time (UTC%(offset)+d)",
        date=babel_dates.format_date(local.date(), "medium", locale=get_locale()),
        time=geneva_time(value),
        offset=int(local.utcoffset().total_seconds() // 3600),
    )


def utc_datetime(value):
    """A UTC datetime with date and seconds, in the active locale (the audit log's clock)."""
    return babel_dates.format_datetime(value, "medium", tzinfo=ZoneInfo("UTC"), locale=get_locale())


def number(value):
    """A count in the active locale: digit grouping such as 1,234 or 1 234."""
    if isinstance(value, str):  # a shared page's placeholder, filled in per reader (forum.threads.page)
        return value
    return babel_numbers.format_decimal(value, locale=get_locale())


def local_deadline(name):
    """A configured Geneva-time deadline (e.g. REGISTRATION_DEADLINE) as an aware datetime."""
    naive = datetime.fromisoformat(current_app.config[name])
    return naive.replace(tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))


@cache
def _country_names(locale):
    """Code -> name in `locale` for every ISO 3166-1 country."""
    territories = Locale.parse(locale).territories
    return {c.alpha_2: territories.get(c.alpha_2, c.name) for c in pycountry.countries}


def country_name(code):
    """The localised name of an ISO 3166-1 alpha-2 code, using UN naming where Babel differs."""
    if not code:
        return ""
    if code == "PS":
        return _("State of Palestine")
    return _country_names(str(get_locale())).get(code, code)


def country_choices():
    """Choices for a country select field, sorted by localised name."""
    codes = _country_names(str(get_locale()))
    return sorted(((code, country_name(code)) for code in codes), key=lambda item: item[1].casefold())


def init_app(app):
    """Bind Flask-Babel and expose language helpers to templates."""
    babel.init_app(app, locale_selector=select_locale)
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
