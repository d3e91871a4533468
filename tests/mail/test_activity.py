"""Activity mail: immediate mentions and replies, daily digests of followed activity, unsubscribe."""

from datetime import timedelta

from sqlalchemy import select

from forum.database import utcnow
from forum.mail import digests, tokens
from forum.mail.models import OutboxMessage
from forum.moderation import actions
from forum.notifications import services as notifications
from forum.threads import services as threads
from forum.threads.models import Post
from tests.mail.conftest import html_of, links, text_of


def test_a_mention_is_mailed_at_once_with_an_unsubscribe_link(
    app, client, deliver, confirmed, make_user, make_thread
):
    confirmed(make_user(name="Rita Reader", email="rita@example.org"), "immediate")
    writer = make_user(name="Walter Writer")
    thread = make_thread(author=writer, title="Compute for developing countries")
    with app.test_request_context():  # mentions link to profiles, built for a request
        threads.reply(writer, thread, "What does @rita.reader think about **shared compute** <script>?")
    [message] = deliver()
    assert message["To"] == "rita@example.org"
    assert message["Subject"] == "You were mentioned in “Compute for developing countries”"
    assert message.get_content_type() == "multipart/alternative"
    assert "Walter Writer" in text_of(message)
    assert "about shared compute <script>?" in text_of(message)
    assert "&lt;script&gt;" in html_of(message) and "<script" not in html_of(message)
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in text_of(message) and unsubscribe in html_of(message)
    post_link = next(path for path in links(message) if path.startswith("/posts/"))
    assert client.get(post_link).status_code in (200, 302)


def test_a_reply_is_mailed_and_chatham_house_hides_the_author(db, deliver, confirmed, make_user, make_thread):
    author = confirmed(make_user(name="Olga Opener", email="olga@example.org"), "immediate")
    thread = make_thread(author=author, title="Frank talk", attribution="chatham")
    replier = make_user(name="Secret Replier")
    first = db.session.get(Post, thread.first_post_id)
    threads.reply(replier, thread, "An unattributed view.", reply_to=first)
    [message] = deliver()
    assert message["To"] == "olga@example.org"
    assert "Secret Replier" not in message.as_string()
    assert "A participant" in text_of(message)


def test_chatham_digest_lines_name_the_author_to_staff_only(make_user, make_thread):
    """A digest line carries who acted only for a recipient who may see who wrote."""
    follower, moderator = make_user(), make_user(role="moderator")
    thread = make_thread(attribution="chatham")
    for user in (follower, moderator):
        notifications.set_following(user, thread=thread)
    threads.reply(make_user(name="Secret Replier"), thread, "An unattributed view.")
    since, until = utcnow() - timedelta(hours=1), utcnow() + timedelta(seconds=1)
    [(_thread, [line])] = digests.activity_since(follower, since, until)
    assert line.actor is None
    [(_thread, [line])] = digests.activity_since(moderator, since, until)
    assert line.actor == "Secret Replier"


def test_off_and_unconfirmed_users_get_no_activity_mail(app, deliver, confirmed, make_user, make_thread):
    silent = confirmed(make_user(name="Quiet Person"), "off")
    unconfirmed = make_user(name="New Person")
    unconfirmed.digest_mode = "immediate"
    writer = make_user()
    thread = make_thread(author=writer)
    with app.test_request_context():
        threads.reply(writer, thread, "Hello @quiet.person and @new.person.")
    assert deliver() == []
    assert silent.digest_mode == "off"


def test_followed_activity_is_coalesced_while_the_mail_waits(app, db, confirmed, make_user, make_thread):
    app.config["MAIL_COALESCE_SECONDS"] = 300
    follower = confirmed(make_user(), "immediate")
    writer = make_user()
    thread = make_thread(author=writer)
    notifications.set_following(follower, thread=thread)
    for n in range(3):
        threads.reply(writer, thread, f"Update {n}")
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.user_id == follower.id)).all()
    assert len(rows) == 1 and rows[0].next_attempt_at > utcnow() + timedelta(seconds=200)


def test_a_daily_digest_gathers_followed_activity(client, db, deliver, confirmed, make_user, make_thread):
    follower = confirmed(make_user(email="fiona@example.org"), "daily")
    idle = confirmed(make_user(email="idle@example.org"), "daily")
    writer = make_user(name="Walter Writer")
    thread = make_thread(author=writer, title="Open models and public goods")
    notifications.set_following(follower, thread=thread)
    threads.reply(writer, thread, "First **update** on open models.")
    hidden = threads.reply(writer, thread, "A reply moderators will hide.")
    actions.hide(make_user(role="moderator"), hidden, "Spam")
    assert [m["To"] for m in deliver()] == [writer.email]
    assert digests.send_due() == 1
    message = deliver()[-1]
    assert message["To"] == "fiona@example.org"
    body = text_of(message)
    assert "Open models and public goods" in body and "First update on open models." in body
    assert "moderators will hide" not in body
    assert message["List-Unsubscribe"]
    # Not due again the same day; and the idle user, with nothing to read, got nothing.
    assert digests.send_due() == 0
    assert [m["To"] for m in deliver()] == [writer.email, "fiona@example.org"]
    db.session.refresh(idle)
    assert idle.last_digest_at is not None


def test_the_next_digest_holds_only_what_came_after(db, deliver, confirmed, make_user, make_thread):
    follower = confirmed(make_user(), "daily")
    writer = make_user()
    thread = make_thread(author=writer)
    notifications.set_following(follower, thread=thread)
    threads.reply(writer, thread, "Before the first digest.")
    digests.send_due()
    threads.reply(writer, thread, "After the first digest.")
    assert digests.send_due(utcnow() + timedelta(days=1)) == 1
    second = text_of(deliver()[-1])
    assert "After the first digest." in second and "Before the first digest." not in second


def test_the_unsubscribe_page_needs_a_click_and_one_click_post_works(
    app, client, db, deliver, confirmed, make_user
):
    user = confirmed(make_user(), "immediate")
    path = f"/unsubscribe/{tokens.unsubscribe_token(user)}"
    page = client.get(path)
    assert page.status_code == 200 and "Unsubscribe" in page.get_data(as_text=True)
    db.session.refresh(user)
    assert user.digest_mode == "immediate"
    app.config["WTF_CSRF_ENABLED"] = True
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    db.session.refresh(user)
    assert user.digest_mode == "off"


def test_a_tampered_unsubscribe_link_is_refused(client, participant):
    token = tokens.unsubscribe_token(participant)
    assert client.get(f"/unsubscribe/{token}x").status_code == 400
    assert client.post(f"/unsubscribe/x{token}").status_code == 400


def test_the_profile_sets_the_mail_preference(client, db, auth, participant):
    auth.login(participant)
    page = client.get(f"/users/{participant.id}").get_data(as_text=True)
    assert 'name="digest_mode"' in page
    client.post("/account/mail", data={"digest_mode": "immediate"})
    db.session.refresh(participant)
    assert participant.digest_mode == "immediate"
    client.post("/account/mail", data={"digest_mode": "hourly"})
    db.session.refresh(participant)
    assert participant.digest_mode == "immediate"
