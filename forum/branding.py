"""The look a deployment may change: its logo, its two colours and the picture shown with shared links.

The colours live in static/css/forum.css as custom properties. A deployment that sets other ones gets a
second, tiny style sheet redefining them (no inline style: the CSP allows only our own files), whose
address carries a hash of its content so that browsers never keep an old one. Colours that white text
cannot be read on (WCAG AA, 4.5:1) are refused at start-up rather than shipped.
"""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

# The defaults of static/css/forum.css: a deep blue header band and the accent of links and buttons.
DEFAULT_HEADER = "#0b3a66"
DEFAULT_ACCENT = "#005a9c"
MIN_CONTRAST = 4.5
HEX = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class Brand:
    """The logo and share picture (files under static/), the colours, and their style sheet if any."""

    logo: str
    share_image: str
    header: str
    accent: str
    stylesheet: str
    version: str


def _luminance(colour):
    """The relative luminance of a #rrggbb colour (WCAG 2.1)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(colour):
    """The contrast ratio of white on `colour` (1 to 21)."""
    return 1.05 / (_luminance(colour) + 0.05)


def colour_problem(name, value):
    """Why `value` cannot be the colour `name` (white text on it, and links on white), or None."""
    if not HEX.fullmatch(value or ""):
        return f"{name}={value!r} should be a colour written #rrggbb, e.g. {DEFAULT_HEADER}."
    ratio = contrast_with_white(value)
    if ratio < MIN_CONTRAST:
        return (
            f"{name}={value} has a contrast of {ratio:.1f}:1 with white; text needs {MIN_CONTRAST}:1 "
            "(WCAG AA): choose a darker colour."
        )
    return None


def brand_from(config):
    """The Brand of a configuration; a ValueError names a missing file or a malformed or too light colour."""
    header, accent = config["SITE_HEADER_COLOUR"].lower(), config["SITE_ACCENT_COLOUR"].lower()
    problems = [
        colour_problem(n, v) for n, v in (("SITE_HEADER_COLOUR", header), ("SITE_ACCENT_COLOUR", accent))
    ]
    static = Path(config["STATIC_FOLDER"])
    problems += [
        f"{name}={config[name]!r} should name a file under {static}."
        for name in ("SITE_LOGO", "SITE_SHARE_IMAGE")
        if not (static / config[name]).is_file()
    ]
    if any(problems):
        raise ValueError(" ".join(p for p in problems if p))
    chosen = {"--header": (header, DEFAULT_HEADER), "--accent": (accent, DEFAULT_ACCENT)}
    changed = {prop: value for prop, (value, default) in chosen.items() if value != default}
    stylesheet = ""
    if changed:
        stylesheet = ":root { " + " ".join(f"{prop}: {value};" for prop, value in changed.items()) + " }\n"
    return Brand(
        logo=config["SITE_LOGO"],
        share_image=config["SITE_SHARE_IMAGE"],
        header=header,
        accent=accent,
        stylesheet=stylesheet,
        version=hashlib.sha256(stylesheet.encode()).hexdigest()[:12],
    )


def init_app(app):
    """Check the configured look and offer it to templates as `brand`."""
    brand = app.extensions["forum_brand"] = brand_from(app.config)
    app.jinja_env.globals["brand"] = brand
