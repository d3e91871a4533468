"""The secretariat manages the Dialogue's themes."""

import pytest
from sqlalchemy import func, select

from forum.threads.models import Theme
from tests.conftest import Auth


def test_admin_adds_and_edits_a_theme(client, auth, db, admin):
    auth.login(admin)
    response = client.post(
        "/admin/themes", data={"name": "AI and health", "slug": "ai-health", "description": "Clinical AI."}
    )
    assert response.status_code == 302
    theme = db.session.scalar(select(Theme))
    assert (theme.name, theme.slug, theme.position) == ("AI and health", "ai-health", 1)
    assert "Clinical AI." in client.get("/themes/ai-health").text
    client.post(
        f"/admin/themes/{theme.id}", data={"name": "AI in health", "slug": "ai-health", "position": "3"}
    )
    db.session.refresh(theme)
    assert (theme.name, theme.position) == ("AI in health", 3)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "slug": "x-y"}, "name", "Give the theme a name"),
        ({"name": "Ok", "slug": "Not A Slug"}, "slug", "Use lower-case letters"),
        ({"name": "Ok", "slug": "taken"}, "slug", "already uses this address"),
    ],
)
def test_bad_theme_input(client, auth, db, admin, make_theme, data, field, message):
    make_theme(slug="taken")
    auth.login(admin)
    response = client.post("/admin/themes", data=data)
    assert response.status_code == 422
    start = response.text.index(f'id="{field}-error"')
    assert message in response.text[start : start + 300]
    assert db.session.scalar(select(func.count()).select_from(Theme)) == 1


def test_moderators_do_not_manage_themes(client, moderator):
    Auth(client).login(moderator)
    assert client.get("/admin/themes").status_code == 403
    assert client.post("/admin/themes", data={"name": "X", "slug": "x"}).status_code == 403
