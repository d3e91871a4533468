"""Profiles, the profile editor, password changes and the language switch."""

from tests.conftest import PASSWORD, Auth

NEW_PASSWORD = "a brand new passphrase"


def test_profile_is_public_and_shows_the_stakeholder_badge(client, make_user):
    user = make_user(stakeholder_group="member_state", country="KE", organisation="Ministry of ICT")
    page = client.get(f"/users/{user.id}").text
    assert "Member State" in page
    assert "Kenya" in page
    assert "Verified" in page


def test_unknown_profile_is_a_styled_404(client):
    response = client.get("/users/999")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert '<a class="skip-link"' in response.text


def test_pending_user_sees_the_banner_and_no_verified_mark(client, auth, pending_user):
    auth.login(pending_user)
    page = client.get(f"/users/{pending_user.id}").text
    assert "awaiting verification" in page
    assert "badge-verified" not in page


def test_edit_profile(client, auth, db, pending_user):
    """An account awaiting verification edits its identity at once (verified ones: test_identity_changes)."""
    auth.login(pending_user)
    response = client.post(
        "/account",
        data={"name": "Pat P.", "stakeholder_group": "civil_society", "country": "", "organisation": "NGO"},
    )
    assert response.status_code == 302
    db.session.refresh(pending_user)
    assert (pending_user.name, pending_user.stakeholder_group, pending_user.country) == (
        "Pat P.",
        "civil_society",
        None,
    )


def test_edit_profile_member_state_needs_country(client, auth, db, participant):
    auth.login(participant)
    response = client.post(
        "/account",
        data={"name": "Pat P.", "stakeholder_group": "member_state", "country": "", "organisation": "MFA"},
    )
    assert response.status_code == 422
    assert "must give the country" in response.text
    db.session.refresh(participant)
    assert participant.stakeholder_group == "academia"


def test_account_pages_need_sign_in(client):
    for path in ("/account", "/account/password"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/login?next=" in response.headers["Location"]


def test_change_password_ends_other_sessions_but_keeps_this_one(app, participant):
    here, elsewhere = app.test_client(), app.test_client()
    Auth(here).login(participant)
    Auth(elsewhere).login(participant)
    response = here.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert "Sign out" in here.get("/").text
    assert "Sign out" not in elsewhere.get("/").text
    assert Auth(app.test_client()).login(participant, NEW_PASSWORD).status_code == 302


def test_change_password_bad_input(client, auth, participant):
    auth.login(participant)
    wrong = client.post(
        "/account/password",
        data={"current_password": "not it at all", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert wrong.status_code == 422
    assert "current password is not correct" in wrong.text
    weak = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "qwerty123", "confirm": "qwerty123"},
    )
    assert weak.status_code == 422
    assert "too common" in weak.text
    assert Auth(client).login(participant, PASSWORD).status_code == 302


def test_language_switch_sets_lang_and_is_saved_on_the_account(client, auth, db, participant):
    response = client.post("/language", data={"language": "fr", "next": "/programme"})
    assert response.headers["Location"] == "/programme"
    page = client.get("/").text
    assert '<html lang="fr" dir="ltr">' in page
    auth.login(participant)
    client.post("/language", data={"language": "fr"})
    db.session.refresh(participant)
    assert participant.locale == "fr"


def test_accept_language_is_used_when_nothing_was_chosen(client):
    page = client.get("/", headers={"Accept-Language": "fr-CH,fr;q=0.9,en;q=0.5"}).text
    assert '<html lang="fr"' in page
    assert "Programme" in page


def test_unknown_language_is_refused(client):
    assert client.post("/language", data={"language": "xx"}).status_code == 400
