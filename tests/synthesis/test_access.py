"""Who may draft, review and publish key takeaways, role by role, and the answers to bad input: 4xx with
a message beside the field, and nothing written. Decided in Python alike on both databases: SQLite only."""

import pytest
from sqlalchemy import func, select

from forum.audit.models import AuditEntry
from forum.extensions import db
from forum.moderation.actions import hide
from forum.qa.models import AgendaSession
from forum.synthesis import services
from forum.synthesis.models import Takeaway

ROLES = ("visitor", "participant", "chair", "other_chair", "moderator", "admin")


@pytest.fixture
def backend():
    """SQLite only: these rules are decided in Python."""
    return "sqlite"


def _people(scene):
    """The scene's users by role (None for a visitor)."""
    return {"visitor": None, "participant": scene.participant, "chair": scene.chair,
            "other_chair": scene.other_chair, "moderator": scene.moderator, "admin": scene.admin}  # fmt: skip


def _form(**fields):
    """A valid takeaway form, with some fields changed."""
    return {"kind": "lesson_learned", "title": "Disclose incidents early", "language": "en",
            "body": "Early disclosure builds trust.", "session": "", "links": "", **fields}  # fmt: skip


def _saved(scene, user=None):
    """A draft saved through the services."""
    fields = {key: value for key, value in _form().items() if key not in ("session", "links")}
    return services.save(user or scene.moderator, services.blank(scene.theme), **fields)


def _count():
    """How many takeaways exist."""
    return db.session.scalar(select(func.count()).select_from(Takeaway))


def test_each_role_reaches_exactly_the_pages_its_rules_allow(scene, signed_in):
    draft = _saved(scene, scene.chair)
    expected = {
        # role: (workspace and new-takeaway form, the draft's edit page, the moderators' overview)
        "visitor": (302, 302, 302),
        "participant": (403, 404, 403),
        "chair": (200, 200, 403),
        "other_chair": (403, 404, 403),
        "moderator": (200, 200, 200),
        "admin": (200, 200, 200),
    }
    for role, user in _people(scene).items():
        client = signed_in(user)
        workspace, edit, overview = expected[role]
        assert client.get("/synthesis/themes/safety").status_code == workspace, role
        assert client.get("/synthesis/themes/safety/new").status_code == workspace, role
        assert client.get(f"/synthesis/takeaways/{draft.id}/edit").status_code == edit, role
        assert client.get("/synthesis/review").status_code == overview, role
        assert "Disclose incidents early" not in client.get("/synthesis").text, role


def test_chairs_draft_and_send_for_review_but_only_moderators_publish(scene, signed_in):
    chair, moderator = signed_in(scene.chair), signed_in(scene.moderator)
    assert chair.post("/synthesis/themes/safety/new", data=_form(session=scene.session.id)).status_code == 302
    takeaway = db.session.scalar(select(Takeaway))
    assert takeaway.session_id == scene.session.id and takeaway.author_id == scene.chair.id
    assert chair.post(f"/synthesis/takeaways/{takeaway.id}/move", data={"to": "review"}).status_code == 302
    assert chair.post(f"/synthesis/takeaways/{takeaway.id}/move", data={"to": "published"}).status_code == 403
    assert (
        signed_in(scene.other_chair)
        .post(f"/synthesis/takeaways/{takeaway.id}/move", data={"to": "draft"})
        .status_code
        == 404
    )
    assert ">Publish</button>" not in chair.get("/synthesis/themes/safety").text
    assert (
        moderator.post(f"/synthesis/takeaways/{takeaway.id}/move", data={"to": "published"}).status_code
        == 302
    )
    # Published, it is every reader's; taking it back is the moderators' call.
    assert chair.post(f"/synthesis/takeaways/{takeaway.id}/move", data={"to": "draft"}).status_code == 403
    assert (
        signed_in(scene.participant)
        .post(f"/synthesis/takeaways/{takeaway.id}/move", data={"to": "draft"})
        .status_code
        == 403
    )
    assert db.session.scalar(select(Takeaway.state)) == "published"


def test_a_takeaway_is_not_filed_under_another_themes_session(scene, signed_in):
    chair = signed_in(scene.chair)
    elsewhere = db.session.scalar(select(AgendaSession.id).where(AgendaSession.slug == "other-panel"))
    other = chair.post("/synthesis/themes/safety/new", data=_form(session=elsewhere))
    assert other.status_code == 422 and "Choose a session of this theme" in other.text
    assert _count() == 0


def _links_error(response):
    """The text beside the links field."""
    page = response.text
    start = page.index('id="links-error"')
    return page[start : page.index("</p>", start)]


def test_links_that_do_not_resolve_or_that_the_drafter_may_not_see_are_named_beside_the_field(
    scene, signed_in, make_thread
):
    hidden = make_thread(author=scene.participant, theme=scene.theme, body="A held remark.")
    hidden_post = db.session.get(type(scene.record_post), hidden.first_post_id)
    hide(scene.moderator, hidden_post, "Spam")
    links = "\n".join([
        "https://elsewhere.example/posts/1", "/threads", f"/posts/{hidden_post.id}", "/posts/987654",
        f"/posts/{scene.record_post.id}",
    ])  # fmt: skip
    response = signed_in(scene.chair).post("/synthesis/themes/safety/new", data=_form(links=links))
    assert response.status_code == 422
    error = _links_error(response)
    assert "Line 1: This link is not to this site." in error
    assert "Line 2: Paste the link of a post" in error
    assert "Line 3: You may not see this post, so you may not cite it." in error
    assert "Line 4: No post has this address." in error
    assert "Line 5" not in error
    as_staff = signed_in(scene.moderator).post(
        "/synthesis/themes/safety/new", data=_form(links=f"/posts/{hidden_post.id}")
    )
    assert as_staff.status_code == 422 and "this item is not public" in _links_error(as_staff)
    assert _count() == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": " "}, "Give a title of up to 200 characters."),
        ({"body": ""}, "Write the takeaway in up to 5,000 characters."),
        ({"title": "x" * 201}, "Give a title of up to 200 characters."),
        ({"cited": "post:1x"}, "An unknown item was ticked."),
    ],
)
def test_bad_fields_answer_422_with_the_message_and_write_nothing(scene, signed_in, fields, message):
    response = signed_in(scene.moderator).post("/synthesis/themes/safety/new", data=_form(**fields))
    assert response.status_code == 422 and message in response.text
    assert _count() == 0


def test_impossible_steps_and_deletions_answer_409_with_a_message(scene, signed_in):
    moderator = signed_in(scene.moderator)
    takeaway = _saved(scene)
    for to in ("published", "nowhere"):
        refused = moderator.post(f"/synthesis/takeaways/{takeaway.id}/move", data={"to": to})
        assert refused.status_code == 409 and "cannot make that step" in refused.text
    services.move(scene.moderator, takeaway, "review")
    refused = moderator.post(f"/synthesis/takeaways/{takeaway.id}/delete")
    assert refused.status_code == 409 and "Only a draft can be deleted." in refused.text
    services.move(scene.moderator, takeaway, "draft")
    assert moderator.post(f"/synthesis/takeaways/{takeaway.id}/delete").status_code == 302
    assert _count() == 0
    deleted = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "takeaway.delete"))
    assert deleted.before["title"] == "Disclose incidents early"


def test_a_published_takeaway_must_come_back_to_draft_before_an_edit(scene, signed_in):
    takeaway = _saved(scene)
    services.move(scene.moderator, takeaway, "review")
    services.move(scene.moderator, takeaway, "published")
    response = signed_in(scene.moderator).post(f"/synthesis/takeaways/{takeaway.id}/edit", data=_form())
    assert response.status_code == 409 and "back to draft before changing it" in response.text
