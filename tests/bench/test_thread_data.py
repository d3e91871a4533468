"""The thread page benchmark's bulk-loaded data holds the rows the services write for the same posts."""

from sqlalchemy import func, select, text

from bench import thread_data, thread_rows
from forum import create_app
from forum.extensions import db
from tests.conftest import make_config

SIZES = [7, 12, 5, 9]
# The columns compared: ids the database hands out in the same order, never clocks.
COLUMNS = {
    "thread": "id, theme_id, author_id, title, kind, attribution, state, locked, pinned, slow_mode_seconds, "
    "reply_count, first_post_id, last_post_id, language",
    "post": "id, thread_id, author_id, reply_to_id, body, body_html, state, state_reason, edited_at, "
    "endorsement_count, language, written_group, written_country",
    "room_sequence": "room, last_seq",
    "room_event": "room, seq, name, data",
    "follow": "user_id, thread_id, theme_id",
    "notification": "user_id, kind, actor_id, thread_id, post_id, message, read_at",
}


def snapshot():
    """Every table's row count, and the compared columns of the tables the posts fill, in a stable order."""
    counts = {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
    rows = {}
    for name, columns in COLUMNS.items():
        query = text(f"SELECT {columns} FROM {name}")  # noqa: S608 - the fixed names above
        rows[name] = sorted((tuple(row) for row in db.session.execute(query)), key=repr)
    return counts, rows


def written(through_services):
    """Themes, eight participants and the planned posts, by the services or by the bulk loader."""
    app = create_app(make_config())
    with app.test_request_context():
        db.create_all()
        thread_data.add_themes()
        users = thread_data.add_users(8)
        threads, posts = thread_data.plan(users, SIZES, seed=2)
        if through_services:
            write_through_services(threads, posts)
        else:
            rendered = thread_rows.render_all("unused", [post.body for post in posts])
            identities = thread_data.identities([user for user, _handle in users])
            thread_rows.write(thread_rows.rows(threads, posts, rendered, identities))
        found = snapshot(), (threads, posts)
        db.session.remove()
        db.drop_all()
    return found


def write_through_services(threads, posts):
    """Each planned post through `create_thread` or `reply`, in order, as its author."""
    from forum.accounts.models import User
    from forum.threads import services
    from forum.threads.models import Post, Theme, Thread

    for post_id, post in enumerate(posts, start=1):
        author, meta = db.session.get(User, post.author), threads[post.thread]
        if meta.posts[0] == post_id:
            theme = db.session.get(Theme, meta.theme)
            services.create_thread(
                author, theme, meta.title, meta.kind, post.body, attribution=meta.attribution
            )
        else:
            reply_to = db.session.get(Post, post.reply_to) if post.reply_to else None
            services.reply(author, db.session.get(Thread, post.thread), post.body, reply_to=reply_to)


def test_bulk_rows_equal_the_services_rows():
    """Posts, threads, room events, follows and notifications match; no table differs in its row count."""
    (bulk_counts, bulk_rows), (threads, posts) = written(through_services=False)
    (service_counts, service_rows), _plan = written(through_services=True)
    # The plan exercises what the rows depend on: answers, mentions, both attributions.
    assert any(post.reply_to for post in posts)
    assert any(post.body.startswith("@") for post in posts)
    assert {meta.attribution for meta in threads.values()} == {"record", "chatham"}
    assert bulk_rows["notification"] and bulk_rows["room_event"]
    assert any('class="mention"' in row[5] for row in bulk_rows["post"])
    assert bulk_counts == service_counts
    for name in COLUMNS:
        assert bulk_rows[name] == service_rows[name], name
