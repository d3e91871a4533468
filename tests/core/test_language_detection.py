"""Offline language detection of posts and questions: the six UN languages, short text, Markdown."""

import pytest

from forum import languages
from forum.rules import RuleViolation

SAMPLES = {
    "ar": "نحتاج إلى قواعد مشتركة لتدقيق أنظمة الذكاء الاصطناعي في البلدان النامية.",
    "zh": "我们需要审计人工智能的共同规则，发展中国家应当平等参与。",
    "en": "We need shared rules for auditing AI systems in developing countries.",
    "fr": "Il nous faut des règles communes pour auditer les systèmes d'IA dans les pays en développement.",
    "ru": "Нам нужны общие правила аудита систем ИИ в развивающихся странах.",
    "es": "Necesitamos reglas comunes para auditar los sistemas de IA en los países en desarrollo.",
}


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_each_un_language_is_detected(code):
    assert languages.detect(SAMPLES[code]) == code


def test_detection_is_deterministic():
    text = "Tout à fait d'accord avec la délégation précédente."
    assert {languages.detect(text) for _ in range(20)} == {"fr"}


@pytest.mark.parametrize(
    "text", ["", "Thanks!", "OK 👍", "شكرا", "谢谢", "@someone https://example.org/long/path"]
)
def test_too_little_text_gives_none(text):
    assert languages.detect(text) is None


def test_quotes_links_code_and_mentions_do_not_count():
    body = (
        "> @alice wrote:\n> We need shared rules for auditing AI systems everywhere.\n\n"
        "Merci, je partage entièrement cet avis [voir ici](https://example.org/english-page-title).\n\n"
        "```\nprint('some English code comment here')\n```"
    )
    assert languages.detect(body) == "fr"
    assert "alice" not in languages.plain_text(body) and "example.org" not in languages.plain_text(body)


def test_the_authors_choice_wins_and_unknown_codes_are_refused():
    assert languages.choose("ar", SAMPLES["en"]) == "ar"
    assert languages.choose("", SAMPLES["ru"]) == "ru"
    with pytest.raises(RuleViolation) as refused:
        languages.choose("xx", SAMPLES["en"])
    assert refused.value.field == "language"


def test_the_offered_languages_start_with_the_six_un_languages():
    assert languages.CONTENT_LANGUAGES[:6] == ("ar", "zh", "en", "fr", "ru", "es")
    assert len(set(languages.CONTENT_LANGUAGES)) == len(languages.CONTENT_LANGUAGES)
    assert languages.offered("es") == "es" and languages.offered("xx") is None


def test_names_come_from_babel_in_the_readers_language(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert languages.language_name("ar") == "Arabe"
        assert languages.language_name(None) == "Langue indéterminée"
        assert languages.lang_attrs("ar") == ' lang="ar" dir="rtl"'
        assert languages.lang_attrs(None) == ' dir="auto"'
        assert languages.filter_choices()[1].label == "Arabe"
