"""The staff archive: the secretariat's alone, behind a recent second factor, audited, streamed as JSON
or as a zip of JSON files; it names authors as staff see them, except in a takeaway's citations."""

import io
import json
import zipfile

import pytest
from sqlalchemy import select

from forum.accounts import twofactor
from forum.audit.models import AuditEntry
from forum.extensions import db
from forum.synthesis import archive, services
from tests.synthesis.conftest import CHATHAM_AUTHOR


def _published_citing_the_chatham_post(scene):
    """A published takeaway citing the Chatham House post and the anonymous question."""
    cited = [f"post:{scene.chatham_post.id}", f"question:{scene.question.id}"]
    takeaway = services.save(scene.moderator, services.blank(scene.theme), kind="lesson_learned",
                             title="Disclose early", body="Disclosure builds trust.", language="en",
                             cited=cited)  # fmt: skip
    services.move(scene.moderator, takeaway, "review")
    return services.move(scene.moderator, takeaway, "published")


def test_the_json_archive_holds_every_kind_names_staff_authors_and_cites_chatham_posts_anonymously(
    scene, signed_in, monkeypatch
):
    _published_citing_the_chatham_post(scene)
    admin = signed_in(scene.admin)
    page = admin.get("/synthesis/archive")
    assert page.status_code == 200 and "This is a staff export" in page.text
    monkeypatch.setattr(archive, "BATCH", 2)  # several batches of posts, read one after the other
    response = admin.get("/synthesis/archive.json")
    assert response.status_code == 200 and response.is_streamed
    data = json.loads(response.get_data(as_text=True))
    assert list(data)[3:] == list(archive.KINDS)
    assert "staff export" in data["notice"]
    posts = {post["id"]: post for post in data["posts"]}
    assert len(posts) == 4 and posts[scene.chatham_post.id]["author"]["name"] == CHATHAM_AUTHOR["name"]
    question = data["questions"][0]
    assert question["anonymous"] and question["author"]["name"] == "Pia Participant"
    assert data["hub_entries"][0]["title"] == "Open model registry"
    assert data["sessions"][0]["chairs"][0]["name"] == "Chad Chair"
    (takeaway,) = data["takeaways"]
    cited = json.dumps(takeaway["citations"])
    assert "never again" in cited and "Anonymous (Academia)" in cited and "Academia, Switzerland" in cited
    assert "Quillon" not in cited and "Pia Participant" not in cited
    exported = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "archive.export")).all()
    assert [(e.actor_id, e.target_label) for e in exported] == [(scene.admin.id, "json")]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_zip_archive_has_one_json_file_per_kind(scene, signed_in):
    response = signed_in(scene.admin).get("/synthesis/archive.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as bundle:
        names = bundle.namelist()
        assert names == ["manifest.json", *(f"{kind}.json" for kind in archive.KINDS)]
        assert json.loads(bundle.read("manifest.json"))["files"] == names[1:]
        assert len(json.loads(bundle.read("threads.json"))) == 3
        assert json.loads(bundle.read("themes.json"))[0]["slug"] == "safety"


@pytest.mark.parametrize("backend", ["sqlite"])
def test_only_the_secretariat_downloads_it_and_only_with_a_recent_code(scene, signed_in, monkeypatch):
    for user in (scene.moderator, scene.chair, scene.participant):
        client = signed_in(user)
        for path in ("/synthesis/archive", "/synthesis/archive.json", "/synthesis/archive.zip"):
            assert client.get(path).status_code == 403, (user.name, path)
    admin = signed_in(scene.admin)
    later = twofactor.clock() + 3600
    monkeypatch.setattr(twofactor, "clock", lambda: later)
    stale = admin.get("/synthesis/archive.json")
    assert stale.status_code == 302 and "/account/two-factor/confirm" in stale.headers["Location"]
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "archive.export")) is None
