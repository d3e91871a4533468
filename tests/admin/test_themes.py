"""The secretariat manages the Dialogue's themes, named and described in the six UN languages."""

import pytest
from sqlalchemy import func, select

from forum.threads.models import Theme
from tests.conftest import Auth

NAMES = {
    "ar": "الذكاء الاصطناعي والصحة",
    "zh": "人工智能与健康",
    "en": "AI and health",
    "fr": "IA et santé",
    "ru": "ИИ и здравоохранение",
    "es": "IA y salud",
}


def test_admin_adds_and_edits_a_theme_in_six_languages(app, client, auth, db, admin):
    auth.login(admin)
    data = {f"name-{code}": name for code, name in NAMES.items()}
    response = client.post(
        "/admin/themes",
        data={
            **data,
            "slug": "ai-health",
            "description-en": "Clinical AI.",
            "description-fr": "L’IA clinique.",
        },
    )
    assert response.status_code == 302
    theme = db.session.scalar(select(Theme))
    assert (theme.name, theme.slug, theme.position) == (NAMES, "ai-health", 1)
    assert theme.description == {"en": "Clinical AI.", "fr": "L’IA clinique."}
    assert "Clinical AI." in client.get("/themes/ai-health").text
    form = client.get(f"/admin/themes/{theme.id}").text
    assert 'name="name-ar" value="الذكاء الاصطناعي والصحة" lang="ar" dir="rtl"' in form
    assert 'lang="fr" dir="ltr">L’IA clinique.</textarea>' in form
    client.post(
        f"/admin/themes/{theme.id}",
        data={**data, "name-en": "AI in health", "name-es": "", "slug": "ai-health", "position": "3"},
    )
    db.session.refresh(theme)
    assert (theme.name, theme.description, theme.position) == (
        {**{k: v for k, v in NAMES.items() if k != "es"}, "en": "AI in health"},
        {},
        3,
    )
    # Each reader gets their language; a missing one falls back to English, marked, in its own lang.
    reader = app.test_client()
    french = reader.get("/themes/ai-health", headers={"Accept-Language": "fr"}).text
    assert "<h1>IA et santé</h1>" in french
    spanish = reader.get("/themes/ai-health", headers={"Accept-Language": "es"}).text
    marked = '<span lang="en" dir="ltr">AI in health</span> <span class="lang-label untranslated">'
    assert f"<h1>{marked}Aún sin traducir</span></h1>" in spanish
    assert "<title>AI in health ·" in spanish


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"name-en": " ", "slug": "x-y"},
            "name",
            "Give the theme a name in at least one of the six languages.",
        ),
        ({"name-fr": "N" * 121, "slug": "x-y"}, "name-fr", "French: at most 120 characters."),
        (
            {"name-ar": "ok", "description-zh": "长" * 2001, "slug": "x-y"},
            "description-zh",
            "Chinese: at most 2,000",
        ),
        ({"name-en": "Ok", "slug": "Not A Slug"}, "slug", "Use lower-case letters"),
        ({"name-en": "Ok", "slug": "taken"}, "slug", "already uses this address"),
    ],
)
def test_bad_theme_input(client, auth, db, admin, make_theme, data, field, message):
    make_theme(slug="taken")
    auth.login(admin)
    response = client.post("/admin/themes", data=data)
    assert response.status_code == 422
    start = response.text.index(f'id="{field}-error"')
    assert message in response.text[start : start + 300]
    # What was typed is shown again; only the input at fault is marked.
    assert response.text.count('aria-invalid="true"') == (0 if field == "name" else 1)
    assert all(
        f'value="{value}"' in response.text
        for key, value in data.items()
        if key.startswith("name-") and value.strip()
    )
    assert db.session.scalar(select(func.count()).select_from(Theme)) == 1


def test_moderators_do_not_manage_themes(client, moderator):
    Auth(client).login(moderator)
    assert client.get("/admin/themes").status_code == 403
    assert client.post("/admin/themes", data={"name-en": "X", "slug": "x"}).status_code == 403
