"""Who a socket's session says it signed in as, without loading the user: the accounts feature tells.

Real time must not import a feature; the accounts package registers its reader of the session's claim
(forum.accounts.models.session_claim) when it loads, before any socket connects.
"""

_READER = []


def register(reader):
    """Use `reader()` -> (user id, session token, session row id) or None as the session's claim."""
    _READER[:] = [reader]


def session_claim():
    """(user id, session token, session row id) the session claims, or None (also when none is registered)."""
    return _READER[0]() if _READER else None
