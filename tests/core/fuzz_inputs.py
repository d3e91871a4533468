"""What the input fuzz sends: hostile values, and the routes, fields and socket events found in the app.

Routes come from app.url_map and socket events from the Socket.IO server's handlers, so a new route or
event is fuzzed without a change here; the field and payload names come from the source of the module
that handles them (its forms' fields and the names it reads from request.args, request.form, payloads).
"""

import inspect
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as CallTimeout
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote

from flask_wtf import FlaskForm
from werkzeug.routing import AnyConverter, IntegerConverter
from wtforms.fields.core import UnboundField

from forum.languages import UN_LANGUAGES
from forum.multilingual import TextsField


@dataclass(frozen=True)
class Raw:
    """A value sent exactly as written, percent-escapes included (e.g. invalid UTF-8)."""

    escaped: str


# The hostile values, by kind; each route gets every kind (tests/core/test_fuzz_inputs.py).
GROUPS = {
    "beyond 32 bits": ["2147483648", "99999999999999999999", "9223372036854775808", "9" * 5000],
    "odd numbers": ["²", "١٢", "１", "𝟙", "-1", "-2147483649", "0", "1e999", "NaN", "1.5"],
    "NUL": ["\x00", "a\x00b", "1\x00"],
    "invalid UTF-8": [Raw("%ff"), Raw("%c0%80"), Raw("%ed%a0%80"), Raw("%"), Raw("%zz"), Raw("%e2%80")],
    # Beyond the columns' lengths (200 to 5,000 characters); few escapes, or decoding them takes the time.
    "long": ["x" * 5001, "Äö" * 150, "x" * 300 + "@example.org", "a-" * 200],
    "right-to-left and invisible": [
        "\u202eتحيات\u202c",
        "مرحبا \u200f!",
        "\u200e\u200b\ufeff",
        "שלום\u2067x\u2069",
    ],
    "odd text": [
        "",
        " ",
        "🙂👍🏽",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "a\r\nb",
        "%s %(x)s {0}",
        "9999-12-31",
        "0001-01-01",
        "2026-02-30",
        "99999-01-01T25:61",
        "https://example.org/threads/2147483648",
        "thread:2147483648",
    ],
}
# What generated examples mix; NUL has explicit examples of its own (one NUL refuses the whole request).
MIXED = [value for kind, values in GROUPS.items() if kind != "NUL" for value in values]

# Socket payload values: JSON can also carry numbers of any size, other types and lone surrogates.
SOCKET_IDS = [0, -1, 2**31, 2**63, 2**70, True, 1.5, "1", "²", None, [1], {"id": 1}]
ROOMS = ["thread:1", "session:1", "moderation", "registrations"]
BAD_ROOMS = [
    "thread:2147483648",
    "session:99999999999999",
    "thread:²",
    "thread:١",
    "thread:-1",
    "thread:1\x00",
]
UNSTORABLE = ["\ud800", "x\udfff", *GROUPS["NUL"]]
SOCKET_STRINGS = [*ROOMS, *BAD_ROOMS, *UNSTORABLE, *(value for value in MIXED if isinstance(value, str))]
# What the explicit socket examples put in every key of a payload at once.
SOCKET_UNIFORM = [*SOCKET_IDS, *UNSTORABLE, *BAD_ROOMS]
DEEP = [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]
ODD_PAYLOADS = [None, "", "x\x00", "\ud800", 5, 2**70, [], DEEP, True, {}]


@cache
def encode(value):
    """A value as it goes in a path, query or urlencoded body."""
    return value.escaped if isinstance(value, Raw) else quote(value, safe="")


def path_for(rule, values):
    """The rule's path with each variable replaced by its encoded value."""
    return re.sub(r"<(?:[^<>:]+:)?(\w+)>", lambda m: encode(values[m[1]]), rule.rule)


def urlencoded(fields):
    """A query string or form body from {name: value}."""
    return "&".join(f"{quote(name, safe='')}={encode(value)}" for name, value in fields.items())


def routes(app):
    """(rule, method) for every route of the app, in a stable order."""
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        found.extend((rule, method) for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))
    return found


def _module_source(function):
    """The source of the module that defines `function` (its decorators unwrapped), and the module."""
    module = sys.modules[inspect.unwrap(function).__module__]
    return inspect.getsource(module), module


READS = re.compile(r"""(?:args|form|values)\.(?:get|getlist)\(\s*"(\w+)"|(?:int_arg|id_list)\(\s*"(\w+)\"""")
LITERAL = re.compile(r'"([a-z][a-z_]{1,24})"')


def form_fields(module):
    """The field names of the forms the module uses (a six-language field's: one per language)."""
    names = set()
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, FlaskForm):
            for name, attr in inspect.getmembers(value):
                if isinstance(attr, UnboundField) and issubclass(attr.field_class, TextsField):
                    names.update(f"{name}-{code}" for code in UN_LANGUAGES)
                elif isinstance(attr, UnboundField):
                    names.add(name)
    return names


def field_names(view):
    """The names a view may read: its module's forms' fields and the arguments its module reads."""
    source, module = _module_source(view)
    reads = {name for pair in READS.findall(source) for name in pair if name}
    return sorted(form_fields(module) | reads | {"next"})


def literals(function):
    """Short lowercase words in the module of `function`: the actions and choices it knows."""
    source, _module = _module_source(function)
    return sorted(set(LITERAL.findall(source)))


def existing_path_values(rule, known):
    """Values of each path variable that name existing rows and pages (known[converter])."""
    choices = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            existing = sorted(converter.items)
        else:
            existing = known["int" if isinstance(converter, IntegerConverter) else "string"]
        choices[name] = existing
    return choices


def socket_handlers(socketio):
    """{event name: handler} of every client event the default namespace handles."""
    handlers = socketio.server.handlers["/"]
    return {
        name: handler for name, handler in sorted(handlers.items()) if name not in ("connect", "disconnect")
    }


PAYLOAD_KEY = re.compile(r"""payload(?:\.get\(|\[)\s*"(\w+)"|\(payload,\s*"(\w+)\"""")


def payload_keys(handler):
    """The payload keys the handler's module reads."""
    source, _module = _module_source(handler)
    return sorted({key for pair in PAYLOAD_KEY.findall(source) for key in pair if key})


class Bounded:
    """Runs each call on a worker thread and gives up after `seconds`: a hang fails, it does not stall."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.pool = ThreadPoolExecutor(max_workers=1)

    def __call__(self, what, function, *args, **kwargs):
        """function(*args, **kwargs), or AssertionError naming `what` when it takes too long."""
        future = self.pool.submit(function, *args, **kwargs)
        try:
            return future.result(timeout=self.seconds)
        except CallTimeout:
            raise AssertionError(f"no answer within {self.seconds} s: {what}") from None

    def close(self):
        """Let the worker go (a hung call keeps it; the test has failed then)."""
        self.pool.shutdown(wait=False, cancel_futures=True)
