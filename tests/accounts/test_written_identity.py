"""Posts keep the identity they were written under: an accepted change never relabels them."""

from flask import render_template_string

from forum.accounts import editing
from forum.admin.services import decide_identity_change
from forum.search import services as search

NEW_IDENTITY = {"stakeholder_group": "member_state", "country": "US", "organisation": "Department of State"}
# The Chatham House badge as threads/_post.html shows it, given the author as the post recorded them.
CHATHAM_BADGE = (
    '{% from "macros/badges.html" import author %}{{ author(post.author_as_written, chatham=true) }}'
)


def change_identity(admin, user):
    """The user asks for NEW_IDENTITY and the secretariat accepts it."""
    data = {"name": user.name, "handle": user.handle, "job_title": None, **NEW_IDENTITY}
    change = editing.update_profile(user, data)
    decide_identity_change(admin, change.id, "accepted")


def test_a_post_records_its_authors_group_and_country(participant, make_thread, make_post):
    """Written on creation, for opening posts and replies."""
    thread = make_thread(author=participant, attribution="chatham")
    reply = make_post(thread, author=participant)
    for post in (thread.posts.first(), reply):
        assert (post.written_group, post.written_country) == ("academia", "CH")
        assert post.written_group_label == "Academia"


def test_past_chatham_posts_keep_their_group_and_country(db, admin, participant, make_thread, make_post):
    """After an accepted change, old posts show the old identity and new posts the new one."""
    thread = make_thread(author=participant, attribution="chatham", body="Candid view on export controls.")
    old = thread.posts.first()
    change_identity(admin, participant)
    db.session.refresh(participant)
    assert participant.stakeholder_group == "member_state"
    db.session.refresh(old)
    assert (old.written_group, old.written_country) == ("academia", "CH")
    badge = render_template_string(CHATHAM_BADGE, post=old)
    assert "Academia" in badge and "Switzerland" in badge
    assert "Member State" not in badge and "United States" not in badge and participant.name not in badge
    new = make_post(thread, author=participant, body="A newer view on export controls.")
    badge = render_template_string(CHATHAM_BADGE, post=new)
    assert "Member State" in badge and "United States" in badge


def test_search_shows_and_filters_by_the_recorded_identity(
    client, auth, db, admin, participant, make_user, make_thread
):
    """Search results carry the badge the post was written under, and the group filter uses it."""
    thread = make_thread(author=participant, attribution="chatham", body="Candid view on export controls.")
    change_identity(admin, participant)
    reader = make_user(name="Rita Reader")
    ids = [hit.post.id for hit in search.search(reader, "export", group="academia").hits]
    assert ids == [thread.first_post_id]
    assert search.search(reader, "export", group="member_state").hits == []
    auth.login(reader)
    page = client.get("/search?q=export").text
    results = page[page.index("Results") :]
    assert "Academia" in results and "Switzerland" in results
    assert "Member State" not in results and "Pat Participant" not in results
