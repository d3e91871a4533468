"""Names and handles that pass for staff or an institution are refused to non-staff, in the six languages."""

import json
import logging

import pytest
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.accounts.names import impersonation

IMPERSONATING = [
    "ITU Secretariat (official)",
    "I.T.U",
    "Ｉｔｕ",
    "itu_secretariat",
    "ITUSecretariat",
    "I\u200bTU",
    "UN Delegate",
    "U.N. Envoy",
    "United Nations",
    "UNESCO",
    "Forum admin",
    "Administrator",
    "Session Chair",
    "Chairperson Lee",
    "Official account",
    "Mo Moderator",
    # French
    "Secrétariat de l'UIT",
    "Modératrice",
    "Nations Unies",
    "Président de séance",
    # Spanish
    "Secretaría",
    "Moderador",
    "Naciones Unidas",
    "ONU",
    "Cuenta oficial",
    # Russian
    "Секретариат",
    "модератор",
    "Администратор",
    "ООН",
    "Председатель",
    "Официальный аккаунт",
    # Arabic
    "الأمانة",
    "الأمـانة",
    "مشرف",
    "الأمم المتحدة",
    "اليونسكو",
    # Chinese
    "秘书处",
    "联合国",
    "管理员",
    "教科文组织",
    "主席",
]

ORDINARY = [
    "Unity Okoro",
    "Chairat Srisuk",
    "Adminah Yusuf",
    "Kim Jong Un",
    "Ogbonnaya Onu",
    "Untersee",
    "Itumeleng Khune",
    "Sofía Herrera",
    "Olena Kovalenko",
    "Amina Diallo",
    "Ли Мин",
    "محمد علي",
    "王小明",
    "Pat Participant",
]

REGISTRATION = {
    "email": "someone@example.org",
    "password": "a long enough passphrase",
    "confirm": "a long enough passphrase",
    "stakeholder_group": "civil_society",
    "country": "",
    "organisation": "Digital Rights NGO",
    "consent": "y",
}


@pytest.mark.parametrize("name", IMPERSONATING)
def test_impersonating_names_are_recognised(name):
    """Case, accents, width, separators and invisible characters do not hide a reserved word."""
    assert impersonation(name) is not None


@pytest.mark.parametrize("name", ORDINARY)
def test_ordinary_names_pass(name):
    """Reserved short words count only as whole words: names that contain their letters pass."""
    assert impersonation(name) is None


def test_handles_are_lower_case_so_un_counts_in_any_case():
    """In a name "Un" is a syllable (Jong Un); in a handle "un" can only be the UN."""
    assert impersonation("un.delegate", handle=True) == "UN"
    assert impersonation("Un Delegate") is None


@pytest.mark.parametrize(
    "name", ["Secrétariat de l'UIT", "Секретариат", "الأمانة", "秘书处", "Naciones Unidas"]
)
def test_registration_refuses_an_impersonating_name(client, db, name, caplog):
    """The message is beside the name field, no account is made, and the refusal is logged."""
    with caplog.at_level(logging.INFO, logger="forum.security"):
        response = client.post("/register", data={**REGISTRATION, "name": name})
    assert response.status_code == 422
    error = response.text[response.text.index('id="name-error"') :][:400]
    assert "is reserved for the staff of the Dialogue" in error
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "forum.security"]
    assert [(line["event"], line["field"], line["value"]) for line in lines] == [
        ("identity.impersonation_refused", "name", name)
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "Модератор форума"), ("name", "مشرف"), ("handle", "itu.secretariat"), ("handle", "admin")],
)
def test_profile_refuses_an_impersonating_name_or_handle(client, auth, db, participant, field, value):
    """On edit, the name and the handle are checked, beside their field; nothing changes."""
    auth.login(participant)
    data = {"name": participant.name, "handle": participant.handle, "stakeholder_group": "academia"}
    data.update({"country": "CH", "organisation": "University of Geneva", field: value})
    response = client.post("/account", data=data)
    assert response.status_code == 422
    error = response.text[response.text.index(f'id="{field}-error"') :][:400]
    assert "is reserved for the staff of the Dialogue" in error
    db.session.refresh(participant)
    assert (participant.name, participant.handle) == ("Pat Participant", "pat.participant")


def test_staff_may_use_reserved_names(client, auth, db, participant, moderator):
    """A moderator speaks for the Dialogue, and their name may say so; a participant's may not."""
    data = {"name": "Forum Moderator", "stakeholder_group": "academia", "country": "CH"}
    data["organisation"] = "University of Geneva"
    auth.login(participant)
    assert client.post("/account", data={**data, "handle": participant.handle}).status_code == 422
    auth.login(moderator)
    assert client.post("/account", data={**data, "handle": "moderator"}).status_code == 302
    db.session.refresh(moderator)
    assert (moderator.name, moderator.handle) == ("Forum Moderator", "moderator")


def test_an_existing_name_is_not_checked_again(client, auth, db, make_user):
    """Only a changed name is checked: an account the secretariat made keeps its name, takes no other."""
    user = make_user(name="Carla Chair")
    auth.login(user)
    data = {"handle": user.handle, "stakeholder_group": "academia", "country": "CH"}
    data.update({"organisation": "University of Geneva", "job_title": "Dr"})
    assert client.post("/account", data={**data, "name": "Carla Chair"}).status_code == 302
    assert client.post("/account", data={**data, "name": "Carla, Chair of the session"}).status_code == 422
    db.session.refresh(user)
    assert (user.name, user.job_title) == ("Carla Chair", "Dr")
