"""Security keys and passkeys (WebAuthn) as a second factor beside the authenticator app.

A user who has turned two-factor sign-in on (forum.accounts.twofactor: the app, and recovery codes for
a lost key) may add keys under names of their choosing, remove them, and then give one instead of a
code: after the password, and when a sensitive staff action asks for a recent proof. The browser's
part needs JavaScript (static/js/passkeys.js); the app's codes stay the path without it.

Each ceremony starts with a challenge the server stores, hashed, for one user and one purpose. The
browser's answer names its challenge in its client data: the server deletes that row in one statement
and only then checks the signature, so an answer counts once and a copied one is refused. The relying
party is the configured site (relying_party), never the Host header of the request.
"""

import hashlib
import json
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, request
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, parse_client_data_json
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from forum.accounts.security_models import WebAuthnChallenge, WebAuthnCredential
from forum.database import utcnow
from forum.extensions import db
from forum.rules import RuleViolation
from forum.security_log import security_event

RP_NAME = "Dialogue Forum"
MAX_KEYS = 10
NAME_LENGTH = 60


def relying_party():
    """(RP ID, origin) of this site: SERVER_NAME in production, else MAIL_BASE_URL.

    The embedded default (a developer's machine on any port) takes the address the browser used.
    """
    config = current_app.config
    if config.get("SERVER_NAME"):
        origin = f"{config.get('PREFERRED_URL_SCHEME') or 'https'}://{config['SERVER_NAME']}"
    elif config["WEBAUTHN_ORIGIN_FROM_REQUEST"]:
        origin = request.host_url.rstrip("/")
    else:
        origin = config["MAIL_BASE_URL"].rstrip("/")
    return urlsplit(origin).hostname, origin


def keys(user):
    """The user's security keys, oldest first."""
    query = select(WebAuthnCredential).where(WebAuthnCredential.user_id == user.id)
    return db.session.scalars(query.order_by(WebAuthnCredential.id)).all()


def has_keys(user):
    """Whether the user may sign in with a security key."""
    query = select(WebAuthnCredential.id).where(WebAuthnCredential.user_id == user.id).limit(1)
    return db.session.scalar(query) is not None


def _digest(challenge):
    """What is stored of a challenge."""
    return hashlib.sha256(challenge).hexdigest()


def _new_challenge(user, purpose):
    """A fresh challenge for `user` and `purpose`, stored in place of their earlier one; expired ones go.

    One live challenge per user and purpose: asking again and again stores nothing more.
    """
    earlier = (WebAuthnChallenge.user_id == user.id) & (WebAuthnChallenge.purpose == purpose)
    db.session.execute(delete(WebAuthnChallenge).where(earlier | (WebAuthnChallenge.created_at < _oldest())))
    challenge = secrets.token_bytes(32)
    db.session.add(WebAuthnChallenge(digest=_digest(challenge), user_id=user.id, purpose=purpose))
    db.session.commit()
    return challenge


def _oldest():
    """The creation time before which a challenge has expired."""
    return utcnow() - timedelta(seconds=current_app.config["WEBAUTHN_CHALLENGE_SECONDS"])


def _descriptors(user):
    """The user's keys as the browser names them."""
    return [PublicKeyCredentialDescriptor(id=key.credential_id) for key in keys(user)]


def registration_options(user):
    """The options (JSON text) for navigator.credentials.create, adding a key to `user`."""
    rp_id, _origin = relying_party()
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=RP_NAME,
        user_id=str(user.id).encode(),
        user_name=user.email,
        user_display_name=user.name,
        challenge=_new_challenge(user, "register"),
        exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.DISCOURAGED,
        ),
    )
    return options_to_json(options)


def sign_in_options(user):
    """The options (JSON text) for navigator.credentials.get: one of the user's keys."""
    rp_id, _origin = relying_party()
    options = generate_authentication_options(
        rp_id=rp_id,
        challenge=_new_challenge(user, "sign_in"),
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.DISCOURAGED,
    )
    return options_to_json(options)


def _parsed(answer):
    """The browser's answer as a dict, or RuleViolation (no JavaScript sends none)."""
    if not answer:
        raise RuleViolation(
            _("Security keys need JavaScript in your browser. Use a code from your app instead."),
            code="no_answer",
        )
    try:
        data = json.loads(answer)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("response"), dict):
        raise _refused()
    return data


def _refused():
    """The one answer to every bad, expired or copied response: nothing more helps an attacker."""
    return RuleViolation(
        _("The security key's answer was not accepted. Try again, or use a code from your app."),
        code="refused",
    )


def _use_challenge(user, purpose, data):
    """The challenge the answer names, deleted now (one answer each); RuleViolation when not ours."""
    try:
        client = parse_client_data_json(base64url_to_bytes(data["response"]["clientDataJSON"]))
    except (WebAuthnException, AttributeError, KeyError, TypeError, ValueError) as error:
        raise _refused() from error
    used = db.session.execute(
        delete(WebAuthnChallenge).where(
            WebAuthnChallenge.digest == _digest(client.challenge),
            WebAuthnChallenge.user_id == user.id,
            WebAuthnChallenge.purpose == purpose,
            WebAuthnChallenge.created_at >= _oldest(),
        )
    )
    db.session.commit()
    if used.rowcount != 1:
        security_event("webauthn.unknown_challenge", user_id=user.id, purpose=purpose)
        raise _refused()
    return client.challenge


def _name(name):
    """The key's name, trimmed; RuleViolation when empty or too long."""
    name = " ".join((name or "").split())
    if not name:
        raise RuleViolation(_("Give the key a name, e.g. “Blue USB key”."), field="name")
    if len(name) > NAME_LENGTH:
        raise RuleViolation(_("Use at most %(n)s characters.", n=NAME_LENGTH), field="name")
    return name


def register(user, name, answer):
    """Add the key that answered the registration challenge, under `name`; raises RuleViolation."""
    name = _name(name)
    if count(user) >= MAX_KEYS:
        raise RuleViolation(_("At most %(n)s keys: remove one first.", n=MAX_KEYS), field="name")
    data = _parsed(answer)
    challenge = _use_challenge(user, "register", data)
    rp_id, origin = relying_party()
    try:
        verified = verify_registration_response(
            credential=data, expected_challenge=challenge, expected_rp_id=rp_id, expected_origin=origin
        )
    except (WebAuthnException, AttributeError, KeyError, TypeError, ValueError) as error:
        # A malformed answer may fail in the library's parsing before its checks: refused all the same.
        security_event("webauthn.register_refused", user_id=user.id, reason=str(error)[:200])
        raise _refused() from error
    taken = select(WebAuthnCredential.id).where(WebAuthnCredential.credential_id == verified.credential_id)
    if db.session.scalar(taken) is not None:
        raise RuleViolation(_("This key is already registered."), code="taken")
    transports = (data["response"].get("transports") or [])[:6]
    key = WebAuthnCredential(
        user_id=user.id,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        name=name,
        transports=",".join(t for t in transports if isinstance(t, str))[:100] or None,
    )
    db.session.add(key)
    db.session.commit()
    security_event("webauthn.registered", user_id=user.id, key_id=key.id)
    return key


def verify(user, answer):
    """Check a key's answer to the user's sign-in challenge: returns "passkey"; raises RuleViolation."""
    data = _parsed(answer)
    challenge = _use_challenge(user, "sign_in", data)
    try:
        raw_id = base64url_to_bytes(data.get("rawId") or data.get("id") or "")
    except (AttributeError, TypeError, ValueError) as error:
        raise _refused() from error
    key = db.session.scalar(
        select(WebAuthnCredential).where(
            WebAuthnCredential.user_id == user.id, WebAuthnCredential.credential_id == raw_id
        )
    )
    if key is None:
        raise _refused()
    rp_id, origin = relying_party()
    try:
        verified = verify_authentication_response(
            credential=data,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=key.public_key,
            credential_current_sign_count=key.sign_count,
        )
    except (WebAuthnException, AttributeError, KeyError, TypeError, ValueError) as error:
        security_event("webauthn.refused", user_id=user.id, key_id=key.id, reason=str(error)[:200])
        raise _refused() from error
    key.sign_count, key.last_used_at = verified.new_sign_count, utcnow()
    db.session.commit()
    security_event("two_factor.verified", user_id=user.id, method="passkey", key_id=key.id)
    return "passkey"


def remove(user, key_id):
    """Remove one of the user's keys; raises RuleViolation when there is no such key of theirs."""
    removed = db.session.execute(
        delete(WebAuthnCredential).where(
            WebAuthnCredential.id == key_id, WebAuthnCredential.user_id == user.id
        )
    )
    if removed.rowcount != 1:
        db.session.rollback()
        raise RuleViolation(_("There is no such key."), code="not_found")
    db.session.commit()
    security_event("webauthn.removed", user_id=user.id, key_id=key_id)


def count(user):
    """How many keys the user has."""
    query = select(func.count()).where(WebAuthnCredential.user_id == user.id)
    return db.session.scalar(query)
