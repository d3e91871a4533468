"""Every user-visible string is translated: catalogs complete, template text through gettext."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from config import Config

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "forum" / "translations"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[-+ #0]*\d*[sd]")
JINJA = re.compile(r"{#.*?#}|{%.*?%}|{{.*?}}", re.S)
TAG = re.compile(r"<[^>]*>", re.S)
LITERAL_ATTRIBUTE = re.compile(r'\b(?:aria-label|title|placeholder|alt)="([^"{]*[A-Za-z][^"{]*)"')
# Text that needs no translation: punctuation, separators, numbers.
NEUTRAL = re.compile(r"^[\s·–—›…|:;,.()\[\]/0-9&#;x@-]*$")


def catalog(language):
    """The parsed .po catalog of `language`."""
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def fresh_template(tmp_path_factory):
    """The message template extracted from the sources now."""
    target = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [Path(sys.executable).parent / "pybabel", "extract", "-F", "babel.cfg", "-k", "_l", "-k",
         "lazy_gettext", "-o", str(target), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with target.open("rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("language", [lang for lang in Config.LANGUAGES if lang != "en"])
def test_catalog_has_every_string_translated(language, fresh_template):
    translations = catalog(language)
    missing, empty, fuzzy, broken = [], [], [], []
    for message in fresh_template:
        if not message.id:
            continue
        entry = translations.get(message.id)
        if entry is None:
            missing.append(message.id)
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(strings):
            empty.append(message.id)
        if entry.fuzzy:
            fuzzy.append(message.id)
        source = message.id[0] if isinstance(message.id, tuple) else message.id
        if any(
            sorted(PLACEHOLDER.findall(s)) != sorted(set(PLACEHOLDER.findall(source))) for s in strings if s
        ):
            broken.append(message.id)
    assert not missing, f"not in the {language} catalog (run make extract-messages): {missing}"
    assert not empty, f"untranslated in {language}: {empty}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy}"
    assert not broken, f"placeholders differ in {language}: {broken}"
    assert not translations.fuzzy, f"the {language} catalog header is fuzzy"


# Names every language writes the same way; single words such as "Question" may also coincide.
SAME_EVERYWHERE = {"Chatham House"}


@pytest.mark.parametrize("language", [lang for lang in Config.LANGUAGES if lang != "en"])
def test_translation_is_not_an_english_copy(language):
    translations = catalog(language)
    sentences = [m for m in translations if m.id and " " in m.id and m.id not in SAME_EVERYWHERE]
    copies = [m.id for m in sentences if m.string == m.id]
    assert copies == []


# A few terms of the UN's own vocabulary, as each language's UN documents write them.
UN_TERMS = {
    "fr": "État Membre",
    "es": "Estado Miembro",
    "ru": "Государство-член",
    "zh": "会员国",
    "ar": "الدولة العضو",
}


@pytest.mark.parametrize("language", sorted(UN_TERMS))
def test_member_state_is_the_un_term(language):
    assert catalog(language).get("Member State").string == UN_TERMS[language]


@pytest.mark.parametrize("template", sorted(ROOT.glob("templates/**/*.html")), ids=lambda p: p.name)
def test_templates_have_no_untranslated_text(template):
    source = template.read_text()
    text = TAG.sub(" ", JINJA.sub(" ", source))
    leftovers = [chunk.strip() for chunk in text.split("\n") if not NEUTRAL.match(chunk)]
    assert leftovers == [], f"literal text in {template.name}: {leftovers}"
    assert LITERAL_ATTRIBUTE.findall(source) == []


def test_french_pages_are_french(client, db):
    client.post("/language", data={"language": "fr"})
    page = client.get("/login").text
    assert '<html lang="fr" dir="ltr">' in page
    assert "Se connecter" in page
    assert "Adresse électronique" in page or "Adresse e-mail" in page or "Courriel" in page
    register = client.get("/register").text
    assert "État Membre" in register
    assert "Suisse" in register
    assert "État de Palestine" in register


def test_french_errors_beside_fields(client, db):
    client.post("/language", data={"language": "fr"})
    response = client.post("/register", data={"name": "", "email": "x"})
    assert response.status_code == 422
    assert "Ce champ est obligatoire." in response.text


@pytest.mark.parametrize(
    ("language", "limit", "replies"),
    [
        ("en", "20,000", "1,234 replies"),
        ("fr", "20\u202f000", "1\u202f234 réponses"),
        ("es", "20.000", "1.234 respuestas"),
    ],
)
def test_numbers_in_messages_are_written_as_the_language_writes_them(app, language, limit, replies):
    from flask import render_template_string
    from flask_babel import force_locale, gettext, lazy_gettext, ngettext

    with app.test_request_context(), force_locale(language):
        assert limit in gettext("Posts are limited to %(n)s characters.", n=20_000)
        assert limit in str(lazy_gettext("Posts are limited to %(n)s characters.", n=20_000))
        assert ngettext("%(num)s reply", "%(num)s replies", 1234) == replies
        page = render_template_string('{{ ngettext("%(num)s reply", "%(num)s replies", n) }}', n=1234)
        assert page == replies
