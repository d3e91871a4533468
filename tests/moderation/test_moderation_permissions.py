"""Every staff route and socket event for every kind of user: only staff pass (admins on admin pages)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.database import utcnow
from forum.moderation import screening
from forum.moderation.models import ReviewItem
from forum.threads import services
from tests.conftest import Auth

ROLES = ("anonymous", "pending", "participant", "silenced", "suspended", "moderator", "admin")


@pytest.fixture
def world(db, make_user, make_thread, pending_user, admin):
    """Users of every kind, a thread, a held post with its item, a sanction and a watched word."""
    users = {
        "pending": pending_user,
        "participant": make_user(),
        "silenced": make_user(),
        "suspended": make_user(),
        "moderator": make_user(role="moderator"),
        "admin": admin,
    }
    thread = make_thread()
    held = services.reply(pending_user, thread, "Held")
    item = db.session.scalar(select(ReviewItem).where(ReviewItem.post_id == held.id))
    word = screening.add_word(admin, "lottery", "flag")
    users["silenced"].silenced_until = utcnow() + timedelta(days=1)
    db.session.commit()
    return {"users": users, "thread": thread, "post": held, "item": item, "word": word}


def moderation_routes(world):
    """(method, url, data) of every moderation route."""
    item, post, thread = world["item"].id, world["post"].id, world["thread"].id
    user = world["users"]["participant"].id
    return [
        ("GET", "/moderation/", None),
        ("POST", f"/moderation/items/{item}/claim", {}),
        ("POST", f"/moderation/items/{item}/release", {}),
        ("POST", f"/moderation/items/{item}/approve", {}),
        ("POST", f"/moderation/items/{item}/reject", {"reason": "x"}),
        ("GET", f"/moderation/items/{item}/edit", None),
        ("POST", "/moderation/items/bulk", {"items": [str(item)], "action": "approve"}),
        ("GET", f"/moderation/posts/{post}", None),
        ("GET", f"/moderation/threads/{thread}", None),
        ("POST", f"/moderation/threads/{thread}", {"change": "lock"}),
        ("GET", f"/moderation/users/{user}", None),
        ("POST", f"/moderation/users/{user}", {"change": "note", "body": "x"}),
        ("POST", "/moderation/sanctions/1/lift", {}),
        ("GET", "/moderation/audit", None),
        ("GET", "/moderation/audit.csv", None),
    ]


def admin_routes(world):
    """(method, url, data) of the watched words and settings pages."""
    return [
        ("GET", "/admin/words", None),
        ("POST", "/admin/words", {"word": "prize", "action": "flag"}),
        ("POST", f"/admin/words/{world['word'].id}/delete", {}),
        ("GET", "/admin/settings", None),
        (
            "POST",
            "/admin/settings",
            {
                "flag_threshold": "3",
                "hold_first_posts": "0",
                "new_user_posts": "3",
                "new_user_max_links": "2",
            },
        ),
    ]


def client_for(app, world, role):
    """A client signed in as `role` (the suspended one was signed in before the suspension)."""
    client = app.test_client()
    if role != "anonymous":
        Auth(client).login(world["users"][role])
    if role == "suspended":
        from forum.moderation import sanctions

        sanctions.sanction(
            world["users"]["admin"], world["users"]["suspended"], "suspend", "x", utcnow() + timedelta(days=1)
        )
    return client


def expected(role, allowed_roles):
    """The status a role gets: through, sign-in, or 403."""
    if role in allowed_roles:
        return "ok"
    return "login" if role in ("anonymous", "suspended") else 403


def outcome(response):
    """ok (any page or redirect into the site), login (sent to sign in) or the status code."""
    if response.status_code == 302 and "/login" in response.headers["Location"]:
        return "login"
    if response.status_code in (200, 303, 302, 422):
        return "ok"
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_staff_routes(app, world, role, caplog):
    client = client_for(app, world, role)
    staff = ("moderator", "admin")
    for method, url, data in moderation_routes(world) + admin_routes(world):
        allowed = staff if url.startswith("/moderation") else ("admin",)
        response = client.open(url, method=method, data=data)
        assert outcome(response) == expected(role, allowed), (role, method, url)
    if role in ("pending", "participant", "silenced"):
        assert "refused /moderation/" in caplog.text


@pytest.mark.parametrize("role", ROLES)
def test_staff_socket_events(app, world, role, socket_client):
    client = client_for(app, world, role)
    # On a public site anyone connects read-only; a suspended user's cookie counts for nobody.
    sock = socket_client(client)
    assert sock.is_connected()
    joined = sock.emit("subscribe", {"room": "moderation"}, callback=True)
    act = sock.emit("moderation.act", {"item_id": world["item"].id, "action": "claim"}, callback=True)
    if role in ("moderator", "admin"):
        assert joined["ok"] and act == {"ok": True, "item_id": world["item"].id, "state": "open"}
    else:
        assert joined["error"] == "forbidden"
        assert act["ok"] is False and act["error"] == "forbidden"


def test_a_demoted_moderator_loses_the_staff_room_at_once(app, db, world, socket_client):
    from forum.accounts import services as accounts

    demoted = world["users"]["moderator"]
    client = app.test_client()
    Auth(client).login(demoted)
    sock = socket_client(client)
    assert sock.emit("subscribe", {"room": "moderation"}, callback=True)["ok"]
    accounts.set_role(world["users"]["admin"], demoted, "participant")
    assert not sock.is_connected()
    again = socket_client(client)
    assert again.emit("subscribe", {"room": "moderation"}, callback=True)["error"] == "forbidden"
