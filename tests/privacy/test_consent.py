"""The privacy notice: the default text and configured text per language, consent at registration,
and a new version asked of existing users on their next page, without breaking the page."""

from sqlalchemy import select

from forum.accounts.models import PrivacyConsent, User
from forum.extensions import db
from tests.accounts.test_register import VALID
from tests.conftest import Auth


def consents(user_id):
    """(version, context) of the user's acceptances, oldest first."""
    query = select(PrivacyConsent.version, PrivacyConsent.context).where(PrivacyConsent.user_id == user_id)
    return [tuple(row) for row in db.session.execute(query.order_by(PrivacyConsent.id))]


def test_the_notice_is_public_cookieless_and_versioned(client):
    response = client.get("/privacy")
    assert response.status_code == 200
    assert "This version: 2026-06-01" in response.text
    assert "United Nations Personal Data Protection and Privacy Principles" in response.text
    assert "Set-Cookie" not in response.headers


def test_every_page_links_to_the_notice_in_its_footer(client, participant):
    link = '<a href="/privacy">Privacy notice</a>'
    assert link in client.get("/").text
    assert link in client.get("/threads").text
    french = client.get("/", headers={"Accept-Language": "fr"}).text
    assert '<a href="/privacy">Notice de confidentialité</a>' in french
    Auth(client).login(participant)
    assert link in client.get("/").text


def test_registration_shows_the_notice_and_records_consent(client):
    page = client.get("/register").text
    assert "Privacy notice (version 2026-06-01)" in page
    assert '<label for="consent">I have read the privacy notice and accept it</label>' in page
    refused = client.post("/register", data={**VALID, "consent": ""})
    assert refused.status_code == 422
    assert (
        'id="consent-error"' in refused.text
        and "Read and accept the privacy notice to register." in refused.text
    )
    assert db.session.scalar(select(User.id)) is None
    assert client.post("/register", data=VALID).status_code == 302
    user = db.session.scalar(select(User))
    assert user.privacy_version == "2026-06-01"
    assert consents(user.id) == [("2026-06-01", "registration")]


def test_a_user_without_consent_is_asked_on_every_page_until_accepting(client, participant, make_thread):
    thread = make_thread()
    Auth(client).login(participant)
    page = client.get(f"/threads/{thread.id}")
    assert page.status_code == 200 and "Please read the privacy notice and accept it." in page.text
    assert 'action="/privacy/consent"' in page.text and "I accept the privacy notice" in page.text
    accepted = client.post("/privacy/consent", data={"next": f"/threads/{thread.id}"})
    assert accepted.headers["Location"] == f"/threads/{thread.id}"
    assert "I accept the privacy notice" not in client.get(f"/threads/{thread.id}").text
    assert consents(participant.id) == [("2026-06-01", "renewal")]
    # Accepting twice records nothing more.
    client.post("/privacy/consent")
    assert len(consents(participant.id)) == 1


def test_a_new_version_asks_existing_users_again(app, client, participant):
    Auth(client).login(participant)
    client.post("/privacy/consent")
    app.config["PRIVACY_NOTICE_VERSION"] = "2026-09-01"
    page = client.get("/").text
    assert "The privacy notice has changed. Please read the new version and accept it." in page
    client.post("/privacy/consent")
    assert consents(participant.id) == [("2026-06-01", "renewal"), ("2026-09-01", "renewal")]
    assert "The privacy notice has changed" not in client.get("/").text


def test_the_consent_form_needs_a_signed_in_user(client):
    response = client.post("/privacy/consent")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_configured_text_per_language_falls_back_to_english_and_is_sanitised(app, client, tmp_path):
    (tmp_path / "en.md").write_text(
        "# Notice\n\nThe **English** text.<script>alert(1)</script>", encoding="utf-8"
    )
    (tmp_path / "fr.md").write_text("Le texte **français**.", encoding="utf-8")
    app.config["PRIVACY_NOTICE_DIR"] = str(tmp_path)
    english = client.get("/privacy").text
    assert "<strong>English</strong>" in english and "<script>alert" not in english
    assert "United Nations Personal Data Protection" not in english
    french = client.get("/privacy", headers={"Accept-Language": "fr"}).text
    assert "<strong>français</strong>" in french
    spanish = client.get("/privacy", headers={"Accept-Language": "es"}).text
    assert "<strong>English</strong>" in spanish
