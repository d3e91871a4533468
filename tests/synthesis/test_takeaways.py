"""Key takeaways: the workflow and its audit trail, citations read afresh, Chatham House and anonymous
citations naming nobody. The workflow (its conditional step, the listings and the batched citation
queries) runs on SQLite and PostgreSQL; what is decided in Python runs on SQLite only."""

import pytest
from sqlalchemy import func, select

from forum.audit import ACTION_LABELS
from forum.audit.models import AuditEntry
from forum.extensions import db
from forum.moderation.actions import hide
from forum.synthesis import services
from forum.synthesis.models import Takeaway
from forum.threads import services as threads


def _draft(client, scene, **fields):
    """POST the new-takeaway form of the scene's theme."""
    data = {"kind": "best_practice", "title": "Red-team before release", "language": "en", "session": "",
            "body": "Frontier models are **red-teamed** before release.", "links": ""}  # fmt: skip
    return client.post("/synthesis/themes/safety/new", data={**data, **fields})


def _move(client, takeaway_id, to):
    """Press one of the workflow's buttons."""
    return client.post(f"/synthesis/takeaways/{takeaway_id}/move", data={"to": to})


def test_a_takeaway_goes_from_draft_through_review_to_published_and_back_audited(scene, signed_in):
    moderator = signed_in(scene.moderator)
    links = f"/posts/{scene.record_post.id}\nhttp://localhost/hub/{scene.contribution.id}"
    response = _draft(moderator, scene, links=links, cited=[f"question:{scene.question.id}"])
    assert response.status_code == 302
    takeaway = db.session.scalar(select(Takeaway))
    assert [c.key for c in takeaway.citations] == [
        f"question:{scene.question.id}", f"post:{scene.record_post.id}",
        f"contribution:{scene.contribution.id}",
    ]  # fmt: skip
    visitor = signed_in(None)
    assert "Red-team before release" not in visitor.get("/synthesis").text
    assert "Red-team before release" not in visitor.get("/themes/safety").text

    assert _move(moderator, takeaway.id, "review").status_code == 302
    assert _move(moderator, takeaway.id, "published").status_code == 302
    for page in ("/synthesis", "/themes/safety"):
        text = visitor.get(page).text
        assert "Red-team before release" in text and "<strong>red-teamed</strong>" in text
        assert "Red-teaming in practice" in text and "Open model registry" in text
    refused = _move(moderator, takeaway.id, "review")
    assert refused.status_code == 409 and "cannot make that step" in refused.text
    assert _move(moderator, takeaway.id, "draft").status_code == 302
    assert "Red-team before release" not in visitor.get("/synthesis").text

    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.target_type == "takeaway")).all()
    assert [e.action for e in entries] == [
        "takeaway.create", "takeaway.submit", "takeaway.publish", "takeaway.unpublish"
    ]  # fmt: skip
    assert {e.actor_id for e in entries} == {scene.moderator.id}
    assert entries[2].before == {"state": "review"} and entries[2].after == {"state": "published"}
    assert str(ACTION_LABELS["takeaway.unpublish"]) == "Took a published key takeaway back to draft"
    log = moderator.get("/moderation/audit").text
    assert "Published a key takeaway" in log and "Sent a key takeaway for review" in log


@pytest.mark.parametrize("backend", ["sqlite"])
def test_an_edit_is_audited_with_what_changed(scene, signed_in):
    moderator = signed_in(scene.moderator)
    assert _draft(moderator, scene).status_code == 302
    takeaway = db.session.scalar(select(Takeaway))
    response = moderator.post(f"/synthesis/takeaways/{takeaway.id}/edit", data={
        "kind": "lesson_learned", "title": "Red-team before release", "language": "fr",
        "body": "Frontier models are **red-teamed** before release.", "session": str(scene.session.id),
        "links": f"/threads/{scene.record_post.thread_id}"})  # fmt: skip
    assert response.status_code == 302
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "takeaway.edit"))
    assert entry.before == {"kind": "best_practice", "language": "en", "session_id": None, "citations": []}
    assert entry.after == {"kind": "lesson_learned", "language": "fr", "session_id": scene.session.id,
                           "citations": [f"post:{scene.record_post.id}"]}  # fmt: skip


def _published(scene, *keys):
    """A takeaway citing `keys`, published by the moderator through the services."""
    takeaway = services.save(scene.moderator, services.blank(scene.theme), kind="open_question",
                             title="Who audits?", body="An open question.", language="en",
                             cited=list(keys))  # fmt: skip
    services.move(scene.moderator, takeaway, "review")
    return services.move(scene.moderator, takeaway, "published")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_citation_shows_the_cited_posts_current_text_and_nothing_once_it_is_gone(scene, signed_in):
    _published(scene, f"post:{scene.record_post.id}", f"post:{scene.chatham_post.id}")
    threads.edit_post(scene.participant, scene.record_post, "Red-team every model, open ones included.")
    page = signed_in(None).get("/synthesis").text
    assert "open ones included" in page and "before release" not in page and "never again" in page
    hide(scene.moderator, scene.record_post, "Off-topic")
    threads.delete_post(scene.chatham_author, scene.chatham_post)
    for reader in (None, scene.moderator):
        page = signed_in(reader).get("/synthesis").text
        assert page.count("No longer available") == 2
        assert "open ones included" not in page and "never again" not in page


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_chatham_house_citation_and_an_anonymous_question_name_nobody_anywhere(scene, signed_in):
    _published(scene, f"post:{scene.chatham_post.id}", f"question:{scene.question.id}")
    pages = ("/synthesis", "/themes/safety", "/synthesis/themes/safety")
    # The asker and the Chatham House author aside (the page's header names its reader).
    for reader in (None, scene.other_chair, scene.moderator):
        client = signed_in(reader)
        for path in pages if reader is scene.moderator else pages[:2]:
            text = client.get(path).text
            assert "never again" in text and "Who audits the auditors" in text, path
            assert "Quillon" not in text and "Pia Participant" not in text, (reader, path)
            assert "Anonymous (Academia)" in text and "Academia, Switzerland" in text


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_theme_page_lists_published_takeaways_by_kind(scene, signed_in):
    _published(scene, f"contribution:{scene.contribution.id}")
    text = signed_in(None).get("/themes/safety").text
    assert "Key takeaways" in text and "Open questions" in text and "Who audits?" in text
    assert "Language: English" in text and 'lang="en" dir="ltr"' in text
    assert "Best practices" not in text
    assert "Work on this theme" not in text
    assert "Work on this theme" in signed_in(scene.chair).get("/themes/safety").text
    assert db.session.scalar(select(func.count()).select_from(Takeaway)) == 1
