"""The signature scheme (docs/webhooks.md): HMAC-SHA256 over "<timestamp>.<body>" with the endpoint's secret.

The header reads `t=<unix seconds>,v1=<hex digest>`, as Stripe's does; a receiver recomputes the digest,
compares it in constant time and refuses a timestamp too far from its own clock (a replay).
"""

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "Forum-Signature"
# A receiver's default tolerance for the distance between the timestamp and its clock.
TOLERANCE_SECONDS = 300


def new_secret():
    """A fresh signing secret: 32 random bytes, URL-safe, with a prefix that says what it is."""
    return f"whsec_{secrets.token_urlsafe(32)}"


def digest(secret, timestamp, body):
    """The hex HMAC-SHA256 of "<timestamp>.<body>" (body as bytes or text) under `secret`."""
    raw = body if isinstance(body, bytes) else body.encode()
    message = str(int(timestamp)).encode() + b"." + raw
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def header(secret, timestamp, body):
    """The value of the signature header."""
    return f"t={int(timestamp)},v1={digest(secret, timestamp, body)}"


def verify(secret, value, body, now, tolerance=TOLERANCE_SECONDS):
    """Whether a signature header is valid for `body` at Unix time `now` (the receiver's side)."""
    pairs = [part.strip().split("=", 1) for part in (value or "").split(",") if "=" in part]
    stamps = [stamp for key, stamp in pairs if key == "t"]
    if len(stamps) != 1 or not stamps[0].isdigit() or abs(now - int(stamps[0])) > tolerance:
        return False
    expected = digest(secret, int(stamps[0]), body)
    # Several v1 values may come while a secret is being changed: one valid one suffices.
    return any(hmac.compare_digest(expected, candidate) for key, candidate in pairs if key == "v1")
