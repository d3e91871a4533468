"""Public pages render the demo data in Geneva time, with accessible structure."""

from forum.demo import seed


def test_home_programme_theme_and_thread_pages(client, db):
    seed()
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
