"""Public pages render the demo data in Geneva time, with accessible structure."""

from sqlalchemy import select

from forum.demo import seed
from forum.qa.models import AgendaSession
from forum.threads.models import Theme


def test_home_programme_theme_and_thread_pages(client, db):
    # As a demo seeded before themes had languages left it: seeding again writes the other five.
    db.session.add(Theme(slug="ai-divides", name="Bridging AI divides", position=1))
    db.session.commit()
    seed()
    assert all(len(t.name) == len(t.description) == 6 for t in db.session.scalars(select(Theme)))
    assert all(len(s.title) == len(s.description) == 6 for s in db.session.scalars(select(AgendaSession)))
    french = client.get("/programme", headers={"Accept-Language": "fr"}).text
    assert "Ouverture du Dialogue mondial sur la gouvernance de l’IA" in french
    assert "untranslated" not in french
    arabic = client.get("/themes/ai-divides", headers={"Accept-Language": "ar"}).text
    assert "<h1>سد الفجوات في مجال الذكاء الاصطناعي</h1>" in arabic
    home = client.get("/").text
    assert "Bridging AI divides" in home
    assert "National AI compute sharing for universities" in home
    assert "Jun 19, 2099, 11:59\u202fPM Geneva time (UTC+2)" in home
    programme = client.get("/programme").text
    assert "Monday, July 6, 2026" in programme
    assert "10:00\u202fAM" in programme
    assert "Opening of the Global Dialogue on AI Governance" in programme
    theme = client.get("/themes/ai-divides").text
    assert "National AI compute sharing for universities" in theme
    thread = client.get("/threads/1").text
    assert "<strong>What worked:</strong>" in thread
    assert "Wanjiru Kamau" in thread
    assert "Member State" in thread and "Kenya" in thread
    session = client.get("/programme/opening").text
    assert "Jul 6, 2026, 10:00\u202fAM Geneva time (UTC+2)" in session


def test_every_page_has_landmarks_and_a_skip_link(client, db):
    seed()
    for path in ("/", "/programme", "/login", "/register", "/themes/standards", "/threads/1"):
        page = client.get(path).text
        assert '<a class="skip-link" href="#main">' in page, path
        assert '<main id="main"' in page, path
        assert "<header" in page and "<footer" in page and "<nav" in page, path
        assert '="None"' not in page, path


def test_unknown_theme_thread_and_session_are_404(client, db):
    for path in ("/themes/nope", "/threads/999", "/programme/nope"):
        assert client.get(path).status_code == 404
