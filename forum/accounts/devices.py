"""Device cookies (OWASP "Slow Down Online Guessing Attacks with Device Cookies").

A browser that signed in to an account receives a signed cookie naming the account and a random nonce.
Its later sign-ins to that account are throttled per cookie, so guesses from elsewhere, which share the
account's budget for unrecognised browsers, never lock its owner out.
"""

import secrets

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "device-cookie"


def _serializer():
    """Signs with the app's secret key: the cookie cannot be made or altered without it."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _max_age():
    """How long a device cookie is honoured, in seconds."""
    return current_app.config["DEVICE_COOKIE_DAYS"] * 24 * 3600


def issue(user):
    """A new device cookie's value for `user`: their id and a fresh nonce."""
    return _serializer().dumps({"u": user.id, "n": secrets.token_urlsafe(16)})


def nonce_for(value, user):
    """The nonce of a valid, unexpired device cookie `value` issued to `user`, else None."""
    if not value or user is None:
        return None
    try:
        data = _serializer().loads(value, max_age=_max_age())
    except BadSignature:  # also raised for an expired cookie (SignatureExpired)
        return None
    if not isinstance(data, dict) or data.get("u") != user.id or not isinstance(data.get("n"), str):
        return None
    return data["n"]


def presented(request):
    """The device cookie the browser sent, if any."""
    return request.cookies.get(current_app.config["DEVICE_COOKIE_NAME"])


def give(response, value):
    """Set the device cookie on `response`: HttpOnly, SameSite=Lax, Secure when sessions are.

    Only the sign-in form needs it, so it is sent to that path alone.
    """
    config = current_app.config
    response.set_cookie(
        config["DEVICE_COOKIE_NAME"],
        value,
        max_age=_max_age(),
        path=url_for("accounts.login"),
        secure=config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response
