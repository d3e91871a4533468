"""Full-text search: what is found, what never is, filters, Chatham House, hostile input, re-indexing."""

import re
from datetime import UTC, date, datetime

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import event, select, text

from forum.search import services
from forum.threads import services as threads
from forum.threads.models import Post

HOSTILE = ['"', "'", "AND", "OR", "NOT", "NEAR(", "NEAR(a b", "*", "-", "-x", "^", "(", ")", ":", "title:x",
           "<script>", "a & b | !c <-> d", "\\", "%", "_", "\x00", "gov\x00ernance", "😀", "x" * 500,
           "« éthique » 人工智能"]  # fmt: skip


def found(viewer, words, **filters):
    """Ids of the posts a search finds, in order."""
    return [hit.post.id for hit in services.search(viewer, words, **filters).hits]


def tags_in(html):
    """Every HTML tag in a snippet."""
    return re.findall(r"<[^>]*>", str(html))


def test_finds_posts_by_body_and_first_posts_by_thread_title(participant, make_thread, make_post):
    thread = make_thread(title="Compute sharing for universities", body="We pooled GPUs across campuses.")
    reply = make_post(thread, body="Governance of the shared cluster needs a charter.")
    first = thread.first_post_id
    assert found(participant, "GPUs") == [first]
    assert found(participant, "gpus campuses") == [first]
    assert found(participant, "universities") == [first]
    assert found(participant, "universities pooled") == [first]
    assert found(participant, "charter") == [reply.id]
    assert found(participant, '"shared cluster"') == [reply.id]
    assert found(participant, '"cluster shared"') == []
    assert found(participant, "governance -charter") == []
    assert found(participant, "nothing-like-this") == []


def test_snippet_highlights_the_matched_words(participant, make_thread):
    make_thread(body="Open data portals help small ministries publish datasets.")
    (hit,) = services.search(participant, "ministries").hits
    assert "<mark>ministries</mark>" in hit.snippet
    assert hit.thread.title == "A thread about AI governance"
    assert hit.author.person is not None


def test_orders_by_relevance_then_recency(participant, make_thread, make_post):
    thread = make_thread(body="Opening post.")
    strong = make_post(thread, body="Sovereignty, sovereignty and again sovereignty.")
    weak_old = make_post(
        thread, body="A long reply that mentions sovereignty once among many other words here."
    )
    weak_new = make_post(
        thread, body="A long reply that mentions sovereignty once among many other words here."
    )
    assert found(participant, "sovereignty") == [strong.id, weak_new.id, weak_old.id]


def test_an_exclusion_leaves_the_ranking_to_the_wanted_words(participant, make_thread, make_post):
    thread = make_thread(body="Opening post.")
    strong = make_post(
        thread,
        body="Sovereignty first: sovereignty of data, sovereignty of compute and sovereignty of models, "
        "in every region and member state today.",
    )
    weak = make_post(thread, body="A reply that mentions sovereignty once among other words.")
    assert found(participant, "sovereignty") == [strong.id, weak.id]
    assert found(participant, "sovereignty -charter") == [strong.id, weak.id]


def test_pages_of_twenty(participant, make_thread, make_post):
    thread = make_thread(body="Interoperability opening.")
    author = thread.author
    for n in range(20):
        make_post(thread, author=author, body=f"Interoperability note {n}.")
    first = services.search(participant, "interoperability")
    second = services.search(participant, "interoperability", page=2)
    assert (len(first.hits), first.has_next, first.has_prev) == (20, True, False)
    assert (len(second.hits), second.has_next, second.has_prev) == (1, False, True)
    assert {h.post.id for h in first.hits}.isdisjoint(h.post.id for h in second.hits)


def test_filters_by_theme_kind_and_group(participant, make_user, make_theme, make_thread, make_post):
    ethics, standards = make_theme(slug="ethics"), make_theme(slug="standards")
    scholar = make_user(stakeholder_group="academia")
    delegate = make_user(stakeholder_group="member_state")
    question = make_thread(
        author=scholar, theme=ethics, kind="question", body="Watermarking synthetic media?"
    )
    practice = make_thread(author=delegate, theme=standards, kind="best_practice", body="Watermarking works.")
    reply = make_post(question, author=delegate, body="Watermarking is in our law.")
    assert set(found(participant, "watermarking")) == {
        question.first_post_id,
        practice.first_post_id,
        reply.id,
    }
    assert set(found(participant, "watermarking", theme="ethics")) == {question.first_post_id, reply.id}
    assert found(participant, "watermarking", kind="best_practice") == [practice.first_post_id]
    assert set(found(participant, "watermarking", group="member_state")) == {practice.first_post_id, reply.id}
    assert found(participant, "watermarking", theme="standards", group="academia") == []
    assert found(participant, "watermarking", theme="no-such-theme") == []


def test_date_range_is_inclusive_in_geneva_time(db, participant, make_thread, make_post):
    thread = make_thread(body="Opening.")
    # Geneva is UTC+2 in July.
    stamps = {
        "late_on_5th_utc": datetime(2026, 7, 5, 22, 30, tzinfo=UTC),  # 6 July 00:30 in Geneva
        "end_of_6th": datetime(2026, 7, 6, 21, 59, tzinfo=UTC),  # 6 July 23:59
        "start_of_7th": datetime(2026, 7, 6, 22, 0, tzinfo=UTC),  # 7 July 00:00
    }
    posts = {}
    for name, stamp in stamps.items():
        posts[name] = make_post(thread, body=f"Plenary summary {name}.")
        posts[name].created_at = stamp
    db.session.commit()
    ids = {post.id: name for name, post in posts.items()}

    def names(**dates):
        return {ids[i] for i in found(participant, "plenary", **dates)}

    assert names(date_from=date(2026, 7, 6), date_to=date(2026, 7, 6)) == {"late_on_5th_utc", "end_of_6th"}
    assert names(date_to=date(2026, 7, 5)) == set()
    assert names(date_from=date(2026, 7, 7)) == {"start_of_7th"}
    assert names(date_from=date(2026, 7, 5), date_to=date(2026, 7, 7)) == set(stamps)


def test_held_hidden_and_deleted_posts_and_held_threads_are_never_found(
    db, moderator, make_user, make_thread, make_post
):
    author = make_user()
    newcomer = make_user(status="pending")
    thread = make_thread(author=author, body="Published opening about lighthouses.")
    held_reply = make_post(thread, author=newcomer, body="Held reply about lighthouses.")
    hidden = make_post(thread, author=author, body="Hidden reply about lighthouses.")
    deleted = make_post(thread, author=author, body="Deleted reply about lighthouses.")
    held_thread = make_thread(
        author=newcomer, title="Lighthouses held", body="Held thread about lighthouses."
    )
    hidden.state = "hidden"
    db.session.commit()
    threads.delete_post(author, deleted)
    assert held_reply.state == "pending" and held_thread.state == "pending"
    for viewer in (author, newcomer, moderator, AnonymousUserMixin()):
        assert found(viewer, "lighthouses") == [thread.first_post_id]


def test_a_published_post_in_a_held_thread_is_not_found(db, participant, make_thread):
    thread = make_thread(body="Tidal energy for data centres.")
    thread.state = "pending"
    db.session.commit()
    assert found(participant, "tidal") == []


def test_edits_and_title_changes_re_index(participant, make_thread, make_post):
    thread = make_thread(author=participant, title="Original title about rivers", body="Body about bananas.")
    reply = make_post(thread, author=participant, body="Reply about apples.")
    threads.edit_post(participant, reply, "Reply about cherries.")
    assert found(participant, "apples") == []
    assert found(participant, "cherries") == [reply.id]
    threads.update_thread(participant, thread, "Renamed title about mountains", "discussion", "record", "")
    assert found(participant, "rivers") == []
    assert found(participant, "mountains") == [thread.first_post_id]
    assert found(participant, "bananas") == [thread.first_post_id]


def test_deleted_posts_drop_out_and_removed_rows_leave_the_index(db, participant, make_thread, make_post):
    thread = make_thread(body="Opening about glaciers.")
    reply = make_post(thread, body="Reply about glaciers.")
    assert len(found(participant, "glaciers")) == 2
    threads.delete_post(reply.author, reply)
    assert found(participant, "glaciers") == [thread.first_post_id]
    count = text("SELECT count(*) FROM post_search")
    before = db.session.scalar(count)
    db.session.delete(db.session.get(Post, reply.id))
    db.session.commit()
    assert db.session.scalar(count) == before - 1


def test_chatham_house_hides_the_author_from_participants_not_from_moderators(
    client, auth, participant, moderator, make_user, make_thread
):
    secret = make_user(
        name="Zed Secretive", organisation="Hidden Org Ltd", stakeholder_group="civil_society", country=None
    )
    thread = make_thread(author=secret, attribution="chatham", body="Candid view on export controls.")
    (hit,) = services.search(participant, "export").hits
    assert hit.author.person is None
    assert services.search(moderator, "export").hits[0].author.person == secret
    assert found(participant, "export", group="civil_society") == [thread.first_post_id]
    assert found(participant, "export", group="academia") == []

    auth.login(participant)
    page = client.get("/search?q=export").text
    assert "Candid view on <mark>export</mark> controls" in page
    assert "Zed Secretive" not in page and "Hidden Org Ltd" not in page
    assert "A participant" in page and "Civil society" in page
    auth.logout()
    auth.login(moderator)
    page = client.get("/search?q=export").text
    assert "Zed Secretive" in page and "Hidden Org Ltd" in page


@pytest.mark.parametrize("words", HOSTILE)
def test_hostile_input_never_errors(client, participant, make_thread, words):
    make_thread(body="Quotes \" and ' and AND OR NOT NEAR(a b) * - ^ : title:x <script> « éthique » 人工智能")
    services.search(participant, words)
    response = client.get("/search", query_string={"q": words})
    # A NUL is refused at the boundary for every request (forum.params), with its reason.
    assert response.status_code == (400 if "\x00" in words else 200)


def test_html_in_posts_is_escaped_in_snippets(client, participant, make_thread):
    make_thread(body='<script>alert("pwned")</script> & <b>bold</b> claims about alerting')
    # PostgreSQL's parser skips tags and script contents; SQLite indexes them as words.
    (hit,) = services.search(participant, "bold claims").hits
    assert set(tags_in(hit.snippet)) <= {"<mark>", "</mark>"}
    page = client.get("/search?q=bold+claims").text
    assert "<script>alert" not in page and "<b>bold" not in page


def test_marker_characters_typed_by_users_cannot_forge_highlights(participant, make_thread):
    make_thread(body="\ufdd0 fake \ufdd1 start and \ufdd2 fake \ufdd3 stop around governance")
    (hit,) = services.search(participant, "governance").hits
    assert tags_in(hit.snippet) == ["<mark>", "</mark>"]
    assert "<mark>governance</mark>" in hit.snippet


def test_a_post_using_every_marker_pair_gets_a_plain_snippet(participant, make_thread):
    make_thread(body="".join(map(chr, range(0xFDD0, 0xFDF0))) + " about governance")
    (hit,) = services.search(participant, "governance").hits
    assert tags_in(hit.snippet) == []
    assert "governance" in hit.snippet


def test_unicode_words(participant, make_thread):
    thread = make_thread(body="Gouvernance de l'IA : éthique, souveraineté numérique ; 人工智能 治理")
    assert found(participant, "éthique") == [thread.first_post_id]
    assert found(participant, "ÉTHIQUE Souveraineté") == [thread.first_post_id]
    assert found(participant, "人工智能") == [thread.first_post_id]


def test_an_empty_query_touches_no_index(db, participant, make_thread):
    make_thread()
    statements = []

    def remember(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        for words in ("", "   ", "\t\n", None, '" -', "-only -exclusions"):
            assert services.search(participant, words).hits == []
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert not [s for s in statements if "post_search" in s]


def test_index_rows_follow_the_post_ids(db, make_thread, make_post):
    thread = make_thread(body="One.")
    reply = make_post(thread, body="Two.")
    key = "rowid" if db.engine.dialect.name == "sqlite" else "post_id"
    rows = db.session.scalars(text(f"SELECT {key} FROM post_search ORDER BY {key}")).all()  # noqa: S608
    assert (
        rows
        == db.session.scalars(select(Post.id).order_by(Post.id)).all()
        == [thread.first_post_id, reply.id]
    )
