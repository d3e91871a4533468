"""Why a user is silenced or suspended, in the moderators' words.

The end dates are on the user row (forum.accounts.models), so every permission check sees them; the
sanctions and the reasons given live in forum.moderation, a layer above, which registers how to find
them here (`reason_finder`). Sign-in and posting tell the user the reason through `reason_of`.
"""

_finders = []


def reason_finder(function):
    """Register `function(user, kind)`: the reason of the user's current sanction of `kind` ("silence" or
    "suspend"), or None. A decorator, used by forum.moderation.sanctions."""
    _finders.append(function)
    return function


def reason_of(user, kind):
    """The reason a moderator gave for the user's current silence or suspension; None when there is none."""
    for finder in _finders:
        found = finder(user, kind)
        if found is not None:
            return found
    return None
