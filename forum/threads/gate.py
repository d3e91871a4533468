"""What moderation decides about a post being written: screened (refused, held or published), and put in
the review queue. The rules are forum.moderation's, a layer above threads, which registers them here
(`provide`) when it is imported; threads asks through `screen` and `review`.
"""

_rules = {}


def provide(name):
    """Register the decorated function as the rule `name` ("screen" or "review")."""

    def register(function):
        """Keep `function` as the rule."""
        _rules[name] = function
        return function

    return register


def _rule(name):
    """The registered rule `name`; a missing one is a start-up bug, never a post let through unscreened."""
    try:
        return _rules[name]
    except KeyError:
        raise RuntimeError(f"no {name!r} rule: forum.moderation is not loaded") from None


def screen(author, body, html, *, editing=False, field="body"):
    """The verdict on a post (state, hold and review reasons); raises RuleViolation for a blocked word."""
    return _rule("screen")(author, body, html, editing=editing, field=field)


def review(post, reasons):
    """Put `post` in the moderators' queue for `reasons` (current transaction); returns the room event."""
    return _rule("review")(post, reasons)
