"""The data export holds everything about the user and nothing about anyone else."""

import json

from sqlalchemy import select

from forum.extensions import db
from forum.privacy.models import DataRequest


def exported(client):
    """The export's JSON, from the download."""
    response = client.get("/account/data/export.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="dialogue-forum-my-data.json"'
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_json()


def test_the_export_holds_everything_about_the_user(client, world):
    data = exported(client)
    amara = world["amara"]
    assert data["profile"]["email"] == "amara.okafor@example.org"
    assert data["profile"]["name"] == "Amara Okafor" and data["profile"]["country"] == "NG"
    assert [t["title"] for t in data["threads"]] == ["Compute sharing in Nigeria"]
    assert [p["body"] for p in data["posts"]] == ["My opening post.", "Thanks, let us work on it."]
    assert data["posts"][0]["written_group"] == "member_state"
    assert len(data["endorsements"]) == 1
    assert [q["body"] for q in data["questions"]] == ["How will compute be shared fairly?"]
    assert data["questions"][0]["anonymous"] is True
    assert data["votes"] == [
        {"question_id": world["theirs"].id, "created_at": data["votes"][0]["created_at"]}
    ]
    assert data["statements"][0]["on_behalf_of"] == "Federal Republic of Nigeria"
    assert data["hub_contributions"][0]["title"] == "Open compute for African universities"
    assert data["sanctions"][0]["reason"] == "Amara Okafor: please keep to the topic."
    assert [(s["ip"], s["ended_at"]) for s in data["sessions"]] == [("127.0.0.1", None)]
    assert [c["context"] for c in data["privacy_consents"]] == ["renewal"]
    assert [n["kind"] for n in data["notifications"]] == ["mention", "warning"]
    assert [(m["kind"], m["state"]) for m in data["mail"]] == [("sanction_warn", "sent")]
    assert [f["thread_id"] for f in data["follows"]] == [world["thread"].id]
    assert data["two_factor"] == {"enabled": False, "since": None, "recovery_codes_left": 0}
    assert [k["name"] for k in data["security_keys"]] == ["Amara Okafor's YubiKey"]
    assert db.session.scalar(select(DataRequest.kind).where(DataRequest.user_id == amara.id)) == "export"


def test_the_export_holds_nothing_about_anyone_else(client, world):
    text = json.dumps(exported(client), ensure_ascii=False)
    for other in (
        "Bo Bystander",
        "bo@example.org",
        world["bo"].handle,
        "Other Org",
        "What about data centres?",
    ):
        assert other not in text
    for other in ("Mo Moderator", "mo@example.org", world["moderator"].handle):
        assert other not in text
    assert "I agree with" not in text  # Bo's post that mentions her is Bo's


def test_the_export_needs_a_signed_in_user(app):
    response = app.test_client().get("/account/data/export.json")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
