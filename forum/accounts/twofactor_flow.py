"""The second step of signing in: a half-signed-in session that grants nothing, and remembered browsers.

After the password, an enrolled user's session holds only PENDING: whose password it was, with their
session token and the time, and no `_user_id`, so Flask-Login sees nobody. The code page finishes it.
A remembered browser carries a signed cookie naming the account and its credential's remember_token:
a new password, "sign out all other sessions", or a new enrolment changes that token and the cookie
stops counting.
"""

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

from forum.accounts import twofactor
from forum.accounts.models import User
from forum.extensions import db

PENDING = "second_factor_pending"
SALT = "two-factor-remember"


def begin(session, user, next_path):
    """Put the session in the half-signed-in state for `user` (who gave the right password)."""
    session.clear()
    session[PENDING] = {"u": user.id, "t": user.session_token, "at": int(twofactor.clock()), "n": next_path}


def pending_user(session):
    """The user whose second factor this session waits for, or None (none, expired, or signed out since)."""
    data = session.get(PENDING)
    if not isinstance(data, dict) or not isinstance(data.get("at"), int):
        return None
    if twofactor.clock() - data["at"] > current_app.config["TWO_FACTOR_PENDING_SECONDS"]:
        return None
    user = db.session.get(User, data["u"]) if isinstance(data.get("u"), int) else None
    if user is None or user.session_token != data.get("t") or user.is_suspended:
        return None
    return user


def pending_next(session):
    """Where the half-signed-in visitor wanted to go."""
    data = session.get(PENDING)
    return data.get("n") if isinstance(data, dict) else None


def _serializer():
    """Signs remembered-browser cookies with the app's secret key."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _max_age():
    """How long a browser is remembered, in seconds."""
    return current_app.config["TWO_FACTOR_REMEMBER_DAYS"] * 24 * 3600


def remembered(user, request):
    """Whether this browser's cookie says the user gave a second factor here within the limit."""
    value = request.cookies.get(current_app.config["TWO_FACTOR_COOKIE_NAME"])
    row = twofactor.credential(user)
    if not value or row is None:
        return False
    try:
        data = _serializer().loads(value, max_age=_max_age())
    except BadSignature:  # also raised for an expired cookie
        return False
    return isinstance(data, dict) and data.get("u") == user.id and data.get("r") == row.remember_token


def remember(response, user):
    """Set the remembered-browser cookie on `response`, for the sign-in pages only."""
    row = twofactor.credential(user)
    config = current_app.config
    response.set_cookie(
        config["TWO_FACTOR_COOKIE_NAME"],
        _serializer().dumps({"u": user.id, "r": row.remember_token}),
        max_age=_max_age(),
        path=url_for("accounts.login"),
        secure=config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response
