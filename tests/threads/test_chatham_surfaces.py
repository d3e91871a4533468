"""Chatham House leak test: every surface a reader can reach, as visitor, participant, author and moderator.

A NEW SURFACE MUST BE ADDED TO `SURFACES` below: any page, socket payload, catch-up, mail, export or
download that can show a post, a thread or a person. The registry is the one list of places where a
Chatham House author could leak; a surface missing from it is a surface nobody checks.
"""

import io
import json
import re
from dataclasses import dataclass
from datetime import timedelta

import pypdf
import pytest
from sqlalchemy import select

from forum.accounts import services as accounts
from forum.database import utcnow
from forum.extensions import db
from forum.hub import decisions as hub_decisions
from forum.hub import services as hub
from forum.mail import digests
from forum.mail.models import OutboxMessage
from forum.notifications import services as notifications
from forum.notifications.models import NOTIFICATION_KINDS
from forum.synthesis import services as synthesis
from forum.threads import services as threads
from forum.threads.models import Post
from forum.webhooks.models import WebhookDelivery, WebhookEndpoint
from forum.webhooks.outbox import EVENTS
from tests.api.conftest import bearer_for
from tests.conftest import PASSWORD, Auth

# An id no other row of the test reaches, so that finding it anywhere is finding the author.
SECRET_ID = 7919
SECRET = {
    "email": "sybil.q@quillfeather.example",
    "name": "Sybil Quartermaine",
    "password": PASSWORD,
    "stakeholder_group": "member_state",
    "country": "FR",
    "organisation": "Quillfeather Ministry",
}
# The author's name, handle, email and organisation; their id anywhere; any author data attribute.
AUTHOR_TRACES = re.compile(rf"quartermaine|quillfeather|\b{SECRET_ID}\b|data-author-id", re.IGNORECASE)
READERS = ("visitor", "participant", "author", "moderator")
SIGNED_IN = READERS[1:]


@pytest.fixture
def backend():
    """SQLite only: who may see an author is decided in Python, the same on both databases, and the
    registry's 68 cases (each a fresh world of threads, events and mails) would double the suite's time."""
    return "sqlite"


@dataclass
class World:
    """Chatham House threads where the secret author replied, edited and opened a thread of their own."""

    secret: object
    reader: object
    moderator: object
    thread: object
    side_thread: object
    post: object
    contribution: object


@dataclass
class Reader:
    """One reader: who (None for a visitor), their signed-in client, and how to open a socket for it."""

    kind: str
    user: object
    client: object
    socket: object


def _hub_data(theme):
    """A complete Hub contribution filed under `theme`."""
    return {
        "kind": "partnership", "title": "Shared compute pool", "summary": "Pooling GPU time.",
        "description": "We pool compute.", "lead_organisation": "Open Compute Alliance", "partners": "",
        "groups": ["academia"], "areas": ["KE"], "themes": [theme.slug], "start_date": "2026-07-01",
        "end_date": "", "deliverables": "2026-12-31 Scheduler live", "links": "",
        "contact_email": "compute@example.org",
    }  # fmt: skip


@pytest.fixture
def world(app, make_user, make_theme):
    """The scene every surface is read from; the author's traces are distinctive strings and an id."""
    theme = make_theme(slug="compute", name="Compute")
    opener, reader = make_user(name="Olive Opener"), make_user(name="Pat Reader")
    moderator, admin = make_user(role="moderator", name="Mo Moderator"), make_user(role="admin")
    secret = accounts.create_user(SECRET, status="verified")
    secret.id = SECRET_ID
    for user in (reader, moderator, secret):
        user.email_confirmed_at, user.digest_mode = utcnow(), "immediate"
    db.session.commit()
    thread = threads.create_thread(opener, theme, "Frank talk on compute", "discussion", "Opening remarks.",
                                   attribution="chatham")  # fmt: skip
    question = threads.reply(reader, thread, "A question from the floor.")
    for follower in (reader, moderator):
        notifications.set_following(follower, theme=theme)
    with app.test_request_context():  # mentions link to profiles
        post = threads.reply(secret, thread, "A candid zanzibar answer, @pat.reader.", reply_to=question)
        threads.edit_post(secret, post, "A candid zanzibar answer, @pat.reader, revised.")
    threads.set_endorsement(reader, post, True)
    threads.reply(reader, thread, "Thank you for the candour.", reply_to=post)
    side = threads.create_thread(secret, theme, "Side thread on standards", "discussion",
                                 "Another zanzibar view.", attribution="chatham")  # fmt: skip
    contribution = hub.create(opener, _hub_data(theme), submit=True)
    hub_decisions.decide(admin, contribution, "publish")
    hub_thread = contribution.thread
    threads.update_thread(opener, hub_thread, hub_thread.title, "discussion", "chatham", "")
    threads.reply(secret, hub_thread, "A zanzibar remark on the pool.")
    takeaway = synthesis.save(moderator, synthesis.blank(theme), kind="lesson_learned",
                              title="Candour pays", body="Frank exchanges help.", language="en",
                              cited=[f"post:{post.id}"])  # fmt: skip
    synthesis.move(moderator, takeaway, "review")
    synthesis.move(moderator, takeaway, "published")
    return World(secret, reader, moderator, thread, side, post, contribution)


@pytest.fixture
def reader_of(app, world, socket_client):
    """reader_of(kind): a visitor, the participant, the secret author or the moderator, signed in."""

    def make(kind):
        user = {"visitor": None, "participant": world.reader, "author": world.secret}.get(
            kind, world.moderator
        )
        client = app.test_client()
        if user is not None:
            Auth(client).login(user)
        return Reader(kind, user, client, lambda: socket_client(client))

    return make


def page(*paths):
    """A surface made of pages (paths with {thread}, {side}, {post}, {contribution}): their text."""

    def fetch(world, reader):
        """The pages as the reader gets them, redirects followed."""
        ids = {
            "thread": world.thread.id,
            "side": world.side_thread.id,
            "post": world.post.id,
            "contribution": world.contribution.id,
            "hub_thread": world.contribution.thread_id,
        }
        return "\n".join(reader.client.get(p.format(**ids), follow_redirects=True).text for p in paths)

    return fetch


def api(*paths):
    """A surface of the JSON API (paths as for `page`), read with the reader's token (a visitor has none)."""

    def fetch(world, reader):
        """The API's answers as the reader's token gets them."""
        headers = bearer_for(reader.user, "read")
        urls = [
            p.format(thread=world.thread.id, side=world.side_thread.id, post=world.post.id) for p in paths
        ]
        return "\n".join(reader.client.get(url, headers=headers).text for url in urls)

    return fetch


def quote(world, reader):
    """The text "Quote" puts in the reply box: posted for every reader, so it names nobody, even for staff."""
    reply_page = page("/threads/{thread}/reply?to={post}&quote=1")(world, reader)
    return re.search(r"<textarea[^>]*>(.*?)</textarea>", reply_page, re.DOTALL).group(1)


def _payloads(sock, *names):
    """What a socket received of the named events, as JSON text."""
    found = [e["args"][0] for e in sock.get_received() if e["name"] in names]
    return json.dumps(found, ensure_ascii=False)


def _subscribed(world, reader, since=None):
    """The reader's socket, subscribed to the Chatham House thread (with `since` for catch-up)."""
    sock = reader.socket()
    request = {"room": f"thread:{world.thread.id}"} | ({} if since is None else {"since": since})
    assert sock.emit("subscribe", request, callback=True)["ok"]
    return sock


def live_post_created(world, reader):
    """`post.created` as a subscribed socket receives it when the author replies."""
    sock = _subscribed(world, reader)
    threads.reply(world.secret, world.thread, "A live zanzibar reply.")
    return _payloads(sock, "post.created")


def live_post_updated(world, reader):
    """`post.updated` as a subscribed socket receives it when the author edits."""
    sock = _subscribed(world, reader)
    threads.edit_post(world.secret, world.post, "A candid zanzibar answer, revised again.")
    return _payloads(sock, "post.updated")


def live_post_own(world, reader):
    """`post.own` as a subscribed socket hears it when the author replies: the author's sockets alone.

    The author's copy names only the post and its thread's room; everyone else must hear nothing.
    """
    sock = _subscribed(world, reader)
    reply = threads.reply(world.secret, world.thread, "Another live zanzibar reply.")
    heard = _payloads(sock, "post.own")
    expected = [{"post_id": reply.id, "room": f"thread:{world.thread.id}"}] if reader.kind == "author" else []
    assert json.loads(heard) == expected, heard
    return heard


def catch_up(world, reader):
    """Every event of the thread replayed to a socket subscribing with since=0."""
    sock = _subscribed(world, reader, since=0)
    return _payloads(sock, "post.created", "post.updated", "post.endorsed")


def live_endorsement(world, reader):
    """`post.endorsed` as a subscribed socket receives it when the author endorses a post."""
    sock = _subscribed(world, reader)
    threads.set_endorsement(world.secret, db.session.get(Post, world.thread.first_post_id), True)
    return _payloads(sock, "post.endorsed")


def live_notification(world, reader):
    """`notification.created` on the reader's own socket: the author posts, then someone answers them."""
    sock = reader.socket()
    fresh = threads.reply(world.secret, world.thread, "Frank talk needs a zanzibar follow-up.")
    threads.reply(world.reader, world.thread, "Noted.", reply_to=fresh)
    return _payloads(sock, "notification.created")


def _outbox(user, kinds):
    """The mails queued for `user` of these kinds: subjects and bodies."""
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.user_id == user.id, OutboxMessage.kind.in_(kinds))
    ).all()
    return "\n".join(f"{m.subject}\n{m.text_body}\n{m.html_body}" for m in rows)


def activity_mail(world, reader):
    """Immediate activity mail (mentions, replies, followed threads and themes) the reader was sent."""
    return _outbox(reader.user, list(NOTIFICATION_KINDS))


def digest_mail(world, reader):
    """The daily digest of the reader's unread activity."""
    now = utcnow()
    digests.send_digest(reader.user, now - timedelta(days=1), now)
    return _outbox(reader.user, ["digest"])


def webhook_payloads(world, reader):
    """What leaves the site as `post.created` webhooks when the author replies and opens a thread."""
    db.session.add(
        WebhookEndpoint(url="https://receiver.example/hooks", secret="whsec_test", events=list(EVENTS))
    )
    db.session.commit()
    threads.reply(world.secret, world.thread, "A hooked zanzibar reply.")
    threads.create_thread(world.secret, world.thread.theme, "Frank talk, part two", "discussion",
                          "More zanzibar thoughts.", attribution="chatham")  # fmt: skip
    return "\n".join(db.session.scalars(select(WebhookDelivery.body)))


def pdf_text(*paths):
    """A surface of PDFs (the report's, forum.pdfs): their text, read back; a refusal's page as it is."""

    def fetch(world, reader):
        """The documents as the reader gets them."""
        texts = []
        for path in paths:
            response = reader.client.get(path, follow_redirects=True)
            if response.mimetype == "application/pdf":
                pages = pypdf.PdfReader(io.BytesIO(response.data)).pages
                texts.append("\n".join(page.extract_text() for page in pages))
            else:
                texts.append(response.text)
        return "\n".join(texts)

    return fetch


@dataclass(frozen=True)
class Surface:
    """Where a reader may meet the author; `staff` says whether moderators see the name there.

    `kind` "post" looks for the author's traces; "person" is a page about the author, where their
    Chatham House posts must not show. `expect` is text the surface shows when it really was read.
    """

    fetch: object
    readers: tuple = READERS
    staff: bool = False
    kind: str = "post"
    expect: str | None = "zanzibar"


SURFACES = {
    # The thread page itself and its live feed (the thread page rewrite, issue 17).
    "thread page": Surface(page("/threads/{thread}", "/threads/{side}", "/threads/{hub_thread}"), staff=True),
    "permalink": Surface(page("/posts/{post}"), staff=True),
    "live post.created": Surface(live_post_created, staff=True),
    "live post.updated": Surface(live_post_updated, staff=True),
    "live post.own": Surface(live_post_own, expect=None),
    "catch-up": Surface(catch_up, staff=True),
    # Everything else.
    "thread lists": Surface(page("/", "/threads", "/themes/compute"), expect="Frank talk"),
    "search": Surface(page("/search?q=zanzibar"), staff=True),
    "revisions": Surface(page("/posts/{post}/revisions"), staff=True),
    "reply page": Surface(page("/threads/{thread}/reply?to={post}"), SIGNED_IN, staff=True),
    "quote": Surface(quote, SIGNED_IN),
    "flag page": Surface(page("/posts/{post}/flag"), SIGNED_IN, expect=None),
    "moderation page": Surface(page("/moderation/posts/{post}"), SIGNED_IN, staff=True, expect=None),
    "live post.endorsed": Surface(live_endorsement, expect='"count"'),
    "notifications page": Surface(page("/notifications"), SIGNED_IN, staff=True, expect="Frank talk"),
    # One's own data: the author's holds her own name, any other reader's (staff's too) none of hers.
    "personal data export": Surface(
        page("/account/data/export.json"), ("participant", "moderator"), expect="Frank talk"
    ),
    "live notification.created": Surface(live_notification, SIGNED_IN, staff=True, expect="Frank talk"),
    "activity mail": Surface(activity_mail, SIGNED_IN, staff=True, expect="Frank talk"),
    "digest mail": Surface(digest_mail, SIGNED_IN, staff=True, expect="Frank talk"),
    "profile": Surface(page(f"/users/{SECRET_ID}", "/u/sybil.quartermaine"), kind="person",
                       expect="Quartermaine"),
    "api": Surface(api("/api/v1/threads", "/api/v1/threads/{thread}/posts", "/api/v1/posts/{post}",
                       "/api/v1/threads/{side}", "/api/v1/threads/{side}/posts"), staff=True),
    # What leaves the site: signed webhook bodies (docs/webhooks.md), the same for every receiver.
    "webhook payloads": Surface(webhook_payloads, ("visitor",), expect="zanzibar"),
    "hub": Surface(page("/hub/", "/hub/{contribution}", "/hub/export.json", "/hub/export.csv"),
                   expect="Shared compute pool"),
    # Key takeaways cite the post as every reader sees it: no author, for staff either (issue 20).
    "key takeaways": Surface(page("/synthesis", "/themes/compute")),
    "takeaway workspace": Surface(page("/synthesis/themes/compute"), ("moderator",)),
    # The staff archive names authors for the secretariat alone (tests/synthesis/test_archive.py): every
    # reader here is refused it.
    "staff archive": Surface(page("/synthesis/archive.json", "/synthesis/archive.zip"), expect=None),
    # Participation figures count posts and anonymous questions by group and country, never by person.
    "participation summary": Surface(page("/participation", "/participation/activity_by_group.csv",
                                          "/participation/voice_by_region.json"), expect="Member State"),
    "participation dashboard": Surface(page("/insights/", "/insights/registrations_by_country.csv",
                                            "/insights/activity_by_group.json"), ("moderator",),
                                       expect="Member State"),
    # The report cites the post as every reader sees it, in its page and its PDF, both editions (issue 20).
    # The PDF is the same document for every reader of an edition: read by a visitor and by staff.
    "report page": Surface(page("/report", "/insights/report"), expect="Candour pays"),
    "report pdf": Surface(pdf_text("/report.pdf", "/insights/report.pdf"), ("visitor", "moderator"),
                          expect="Candour pays"),
}  # fmt: skip


def post_traces(world):
    """Traces of the author's Chatham House posts: their text, their threads, their links, a count."""
    ids = "|".join(str(i) for i in (world.thread.id, world.side_thread.id, world.contribution.thread_id))
    links = rf"/posts/{world.post.id}\b|/threads/(?:{ids})\b"
    return re.compile(
        rf"zanzibar|Frank talk|Side thread|Shared compute|{links}|\b\d+ (?:posts?|replies|threads?)\b"
    )


def own_parts_removed(text, user):
    """What a signed-in reader receives, without the parts that are about themselves.

    The site header (their name and profile link), the body's data-user-id, their own socket room,
    forms filled in with their details, a mail's greeting and preferences link: the author reading
    must find themselves nowhere else.
    """
    text = re.sub(r'<header class="site-header">.*?</header>', "", text, flags=re.DOTALL)
    for own in (f' data-user-id="{user.id}"', f'"room": "user:{user.id}"', f"Dear {user.name},"):
        text = text.replace(own, "")
    for detail in (user.name, user.email, user.organisation):
        text = text.replace(f'value="{detail}"', "")
    return text.replace(f"/users/{user.id}#mail", "")


@pytest.mark.parametrize(
    ("surface", "kind"), [(name, kind) for name, surface in SURFACES.items() for kind in surface.readers]
)
def test_no_author_trace_reaches_readers_who_may_not_see_authors(world, reader_of, surface, kind):
    """Visitors, participants and the author find no trace of who wrote; moderators find the name."""
    spec = SURFACES[surface]
    reader = reader_of(kind)
    received = spec.fetch(world, reader)
    if spec.expect is not None:
        assert spec.expect in received, f"{surface} showed nothing to check"
    if kind == "author":
        received = own_parts_removed(received, reader.user)
    traces = post_traces(world) if spec.kind == "person" else AUTHOR_TRACES
    if kind == "moderator" and spec.staff:
        assert SECRET["name"] in received, f"{surface} hides the author from staff"
    else:
        found = sorted({match.group(0) for match in traces.finditer(received)})
        assert not found, f"{surface} shows the {kind} {found}"
