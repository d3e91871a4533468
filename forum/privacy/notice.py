"""The privacy notice's text: Markdown files per language when configured, else the default template."""

from pathlib import Path

from flask import current_app
from markupsafe import Markup

from forum.sanitize import markdown_to_html


def configured_text(locale):
    """The configured notice for `locale` (else English) as safe HTML, or None to use the default text.

    PRIVACY_NOTICE_DIR holds en.md, fr.md…; they are Markdown, sanitised like posts.
    """
    folder = current_app.config.get("PRIVACY_NOTICE_DIR")
    if not folder:
        return None
    for name in (f"{locale}.md", "en.md"):
        path = Path(folder) / name
        if path.is_file():
            return Markup(markdown_to_html(path.read_text(encoding="utf-8")))  # noqa: S704 - sanitised
    return None
