"""Downloads name their character set once: `text/csv; charset=utf-8`, never the charset twice."""

from tests.conftest import Auth


def test_every_export_names_its_charset_once(app, client, make_session, moderator):
    session = make_session()
    Auth(client).login(moderator)
    expected = {
        f"/programme/{session.slug}/questions.csv": "text/csv; charset=utf-8",
        f"/programme/{session.slug}/speakers.csv": "text/csv; charset=utf-8",
        f"/programme/{session.slug}/summary.md": "text/markdown; charset=utf-8",
        "/moderation/audit.csv": "text/csv; charset=utf-8",
        "/hub/export.csv": "text/csv; charset=utf-8",
    }
    for path, content_type in expected.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Content-Type"] == content_type, path
        assert "attachment" in response.headers["Content-Disposition"], path
