"""Staff-written texts in the six UN languages: the reader's language, the fallback, the checks, the storage
and the revision that moved single-language values into it."""

import pytest
from alembic.script import ScriptDirectory
from flask import current_app
from flask_babel import force_locale
from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData, select, text

from forum.database import utcnow
from forum.multilingual import Texts, TextsViolation, cleaned
from forum.qa.models import AgendaSession
from forum.threads.models import Theme

REVISION = "b3a7f1c9d5e2"


def test_a_reader_gets_their_language_else_english_else_the_first_in_the_un_order():
    texts = Texts({"fr": "Normes", "en": "Standards", "ar": "معايير"})
    assert texts.shown("fr") == ("Normes", "fr", False)
    assert texts.shown("ar").attrs == ' lang="ar" dir="rtl"'
    assert texts.shown("zh") == ("Standards", "en", True)
    assert Texts({"ru": "Стандарты", "es": "Normas"}).shown("zh") == ("Стандарты", "ru", True)
    assert Texts().shown("fr") == ("", "fr", False) and not Texts()
    assert Texts.of("  Standards ") == {"en": "Standards"}
    assert Texts({"de": "Normen", "fr": ""}) == {}


def test_str_is_the_current_readers_text(app):
    texts = Texts({"en": "Standards", "zh": "标准"})
    with force_locale("zh"):
        assert str(texts) == "标准" and f"{texts}" == "标准"
    with force_locale("fr"):
        assert str(texts) == "Standards"


def test_cleaned_trims_checks_each_language_and_requires_one(app):
    assert cleaned({"fr": "  Normes \n techniques ", "ar": " "}, "name", 20, "Required") == {
        "fr": "Normes techniques"
    }
    assert cleaned({"en": " A\n\nB "}, "description", 20, multiline=True) == {"en": "A\n\nB"}
    with pytest.raises(TextsViolation) as error:
        cleaned({"en": " ", "fr": ""}, "name", 20, "Required")
    assert (error.value.field, error.value.language, error.value.message) == ("name", None, "Required")
    with force_locale("en"), pytest.raises(TextsViolation) as error:
        cleaned({"ru": "я" * 21}, "name", 20, "Required")
    assert (error.value.language, error.value.message) == ("ru", "Russian: at most 20 characters.")
    with pytest.raises(TextsViolation) as error:
        cleaned({"de": "Normen"}, "name", 20, "Required")
    assert error.value.as_dict()["field"] == "name"


def test_texts_are_stored_as_json_and_read_back(db, make_theme):
    theme = make_theme(name={"ar": "معايير", "en": "Standards"}, description="")
    db.session.expire_all()
    stored = db.session.get(Theme, theme.id)
    assert isinstance(stored.name, Texts) and stored.name == {"ar": "معايير", "en": "Standards"}
    assert stored.description == {}
    # A plain string is a text in the default language, also when assigned.
    stored.description = "Technical standards."
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Theme, theme.id).description == {"en": "Technical standards."}


def _down_revision():
    """The revision before ours, whatever the merge made it."""
    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    return script.get_revision(REVISION).down_revision


def test_the_revision_moves_single_language_texts_into_english_and_back(app):
    db = app.extensions["sqlalchemy"]
    db.drop_all()
    before = _down_revision()
    upgrade(revision=before)
    now = utcnow()
    tables = MetaData()
    with db.engine.begin() as conn:
        tables.reflect(conn)
        conn.execute(
            tables.tables["theme"].insert(),
            [
                {
                    "id": 1,
                    "slug": "ethics",
                    "name": "Ethics",
                    "description": "Rights  and values.",
                    "position": 1,
                },
                {"id": 2, "slug": "standards", "name": "Standards", "description": "", "position": 2},
            ],
        )
        conn.execute(
            tables.tables["agenda_session"].insert(),
            [
                {"id": 1, "slug": "opening", "title": "Opening", "description": "Welcome.", "room": "Hall A"}
                | {"starts_at": now, "ends_at": now}
            ],
        )
    upgrade(revision=REVISION)
    themes = db.session.scalars(select(Theme).order_by(Theme.id)).all()
    assert [(t.name, t.description) for t in themes] == [
        ({"en": "Ethics"}, {"en": "Rights  and values."}),
        ({"en": "Standards"}, {}),
    ]
    session = db.session.scalar(select(AgendaSession))
    assert (session.title, session.description) == ({"en": "Opening"}, {"en": "Welcome."})
    session.title = {"fr": "Ouverture", "en": "Opening session"}
    themes[1].name = {"fr": "Normes"}
    db.session.commit()
    db.session.close()
    downgrade(revision=before)
    with db.engine.connect() as conn:
        names = conn.execute(text("SELECT name, description FROM theme ORDER BY id")).all()
        titles = conn.execute(text("SELECT title, description FROM agenda_session")).all()
    assert [tuple(row) for row in names] == [("Ethics", "Rights  and values."), ("Normes", "")]
    assert [tuple(row) for row in titles] == [("Opening session", "Welcome.")]
    # Back to the models' schema (test_migrations checks that it is theirs), quicker than down and up.
    upgrade()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
