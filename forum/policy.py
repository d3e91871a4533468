"""The permission policy: every "may this user do X (to this thing)" is a named rule here, and only here.

Routes declare the rule of who may reach them (`requires` on a view, or a blueprint's default through
`protect`), and the app's guard checks it before any view runs: an endpoint that declares none is
refused. Socket handlers declare theirs with `socket_requires`. Views, services, templates and socket
handlers ask the rules about a thing with `allowed(user, name, thing)` or `require(name, thing)`.
tests/core/test_policy.py takes every endpoint and socket event from the app and checks each against
its rule, role by role, and the thread and post rules against the pages, state by state.

Rules read only the user and the thing they are given (duck-typed: a Thread or a row with the same
fields), so this module imports no feature.
"""

import logging
from dataclasses import dataclass
from functools import wraps

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from forum.extensions import login_manager
from forum.permissions import Permission
from forum.states import (
    OWN_ONLY_STATES,
    PUBLIC_STATES,
    AccountStatus,
    ContributionState,
    PostState,
    TakeawayState,
    ThreadState,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    """A named question with its answer: `check(user, thing)`; `thing` is None for a rule about roles."""

    name: str
    check: object
    about: str | None


RULES = {}


def rule(name, about=None):
    """Register the decorated predicate as the rule `name`; `about` names the kind of thing it takes."""

    def register(check):
        """Keep the predicate under its name."""
        if name in RULES:
            raise ValueError(f"rule {name} is declared twice")
        RULES[name] = Rule(name, check, about)
        return check

    return register


def allowed(user, name, thing=None):
    """Whether `user` passes the rule `name` (about `thing`, for a rule about things)."""
    return RULES[name].check(user, thing)


def refuse(name):
    """End the request as a refusal of rule `name`: sign in first, or 403 (logged) when signed in."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if _passes_with_second_factor(name):
        # Staff whose session has not given a second factor are sent to give one (or to set it up).
        abort(redirect(url_for("accounts.two_factor", next=request.full_path.rstrip("?"))))
    # Refusals are logged: a participant probing staff pages is something the secretariat should see.
    log.warning("user %s refused %s (rule %s)", current_user.id, request.path, name)
    abort(403)


def _passes_with_second_factor(name):
    """Whether the current user, whose role's staff rights wait for a second factor, would pass `name`."""
    user = current_user._get_current_object()
    if not getattr(user, "second_factor_missing", False) or RULES[name].about is not None:
        return False
    user.second_factor_missing = False
    try:
        return allowed(user, name)
    finally:
        user.second_factor_missing = True


def require(name, thing=None):
    """Refuse the request unless the current user passes rule `name` (about `thing`)."""
    if not allowed(current_user, name, thing):
        refuse(name)


# --- Roles ---------------------------------------------------------------------------------------


@rule("anyone")
def _anyone(user, _thing):
    """Sign-in, registration, password reset, health checks and static files: no condition."""
    return True


@rule("read")
def _read(user, _thing):
    """The site's pages: everyone while the site is public (PUBLIC_READ), members otherwise."""
    return current_app.config["PUBLIC_READ"] or user.is_authenticated


@rule("signed_in")
def _signed_in(user, _thing):
    """One's own account, notifications and drafts: any signed-in user."""
    return user.is_authenticated


@rule("post")
def _post(user, _thing):
    """Writing threads and replies: signed-in users whose registration was not rejected (a pending
    user's posts are held for review); silenced and suspended users lose the POST permission."""
    return user.is_authenticated and user.can(Permission.POST) and user.status != AccountStatus.REJECTED


@rule("participate")
def _participate(user, _thing):
    """Q&A questions and votes, speakers' requests, Hub contributions: verified participants who may post."""
    return user.is_authenticated and user.is_verified and user.can(Permission.POST)


@rule("moderate")
def _moderate(user, _thing):
    """The moderation queue, sanctions and every post's author: moderators and admins (staff)."""
    return user.is_authenticated and user.can(Permission.MODERATE)


@rule("administer")
def _administer(user, _thing):
    """The secretariat's pages: users, settings, the outbox, the Hub's review, the agenda."""
    return user.is_authenticated and user.can(Permission.ADMIN)


@rule("insights")
def _insights(user, _thing):
    """The participation dashboard (figures by group, region and country): the secretariat and moderators."""
    return _moderate(user, None)


# --- Threads and posts ----------------------------------------------------------------------------


@rule("thread.view", about="thread")
def _view_thread(user, thread):
    """A published thread is for every reader; a held or rejected one for its author and staff."""
    if not _read(user, None):
        return False
    if thread.state == ThreadState.PUBLISHED or _moderate(user, None):
        return True
    return thread.state in OWN_ONLY_STATES and user.is_authenticated and user.id == thread.author_id


@rule("thread.reply", about="thread")
def _reply(user, thread):
    """Post into a thread: it must be visible and, unless the user is staff, not locked."""
    return _post(user, None) and _view_thread(user, thread) and (not thread.locked or _moderate(user, None))


@rule("thread.edit", about="thread")
def _edit_thread(user, thread):
    """The author or a moderator changes a thread's title, kind, attribution and tags."""
    own = user.is_authenticated and user.id == thread.author_id
    return (own or _moderate(user, None)) and thread.state != ThreadState.DELETED


@rule("thread.authors", about="thread")
def _authors(user, thread):
    """Who wrote a post: on the record for everyone; under the Chatham House Rule for staff only."""
    return thread.attribution == "record" or _moderate(user, None)


@rule("post.view", about="post")
def _view_post(user, post):
    """Published and deleted (as a placeholder) for all; the other states for their author and staff."""
    if post.state in PUBLIC_STATES or _moderate(user, None):
        return True
    return post.state in OWN_ONLY_STATES and user.is_authenticated and user.id == post.author_id


@rule("post.edit", about="post")
def _edit_post(user, post):
    """Authors edit their own live posts outside locked threads; staff edit any post not deleted."""
    if _moderate(user, None):
        return post.state != PostState.DELETED
    own = user.is_authenticated and user.id == post.author_id
    return own and post.state in (PostState.PUBLISHED, PostState.PENDING) and not post.thread.locked


@rule("post.endorse", about="post")
def _endorse(user, post):
    """Verified participants endorse other people's published posts."""
    return _participate(user, None) and post.state == PostState.PUBLISHED and post.author_id != user.id


@rule("post.flag", about="post")
def _flag(user, post):
    """Flagging follows the same rule as endorsing: verified participants, other people's published posts."""
    return _endorse(user, post)


# --- Sessions and the Hub --------------------------------------------------------------------------


@rule("session.chair", about="session")
def _chair(user, session):
    """Assigned to the session as a chair and holding the chair permission (chair, moderator, admin)."""
    if not (user.is_authenticated and user.can(Permission.CHAIR)):
        return False
    return any(chair.id == user.id for chair in session.chairs)


@rule("session.moderate", about="session")
def _moderate_session(user, session):
    """Moderators, and the session's own chairs, run its Q&A."""
    return _moderate(user, None) or _chair(user, session)


@rule("session.speakers", about="session")
def _run_speakers(user, session):
    """The session's chairs and the secretariat approve, order and time the speakers."""
    return _administer(user, None) or _chair(user, session)


@rule("contribution.view", about="contribution")
def _view_contribution(user, contribution):
    """Published Hub contributions are public and stay readable once withdrawn (their thread links to
    them); the others are for their submitter and the secretariat."""
    if contribution.state == ContributionState.PUBLISHED or (
        contribution.state == ContributionState.WITHDRAWN and contribution.published_at
    ):
        return True
    return user.is_authenticated and (contribution.submitter_id == user.id or _administer(user, None))


# --- Key takeaways (forum.synthesis) -------------------------------------------------------------


@rule("takeaway.draft", about="takeaway")
def _draft_takeaway(user, takeaway):
    """Moderators draft and edit key takeaways; so do the chairs of what one is drawn from (`takeaway.chairs`:
    its session's chairs, else the chairs of its theme's sessions), holding the chair permission."""
    if _moderate(user, None):
        return True
    if not (user.is_authenticated and user.can(Permission.CHAIR)):
        return False
    return any(chair.id == user.id for chair in takeaway.chairs)


@rule("takeaway.publish", about="takeaway")
def _publish_takeaway(user, takeaway):
    """Moderators publish a takeaway in review, and take a published one back to draft."""
    return _moderate(user, None)


@rule("takeaway.view", about="takeaway")
def _view_takeaway(user, takeaway):
    """A published takeaway is for every reader; a draft or one in review for those who may draft it."""
    if takeaway.state == TakeawayState.PUBLISHED:
        return _read(user, None)
    return _draft_takeaway(user, takeaway)


# --- Declaring and guarding ------------------------------------------------------------------------

# Blueprint name -> the rule of its views that declare none of their own.
DEFAULTS = {}
# Endpoints outside any blueprint of ours.
BUILT_IN = {"static": "anyone"}


def requires(name):
    """Declare the rule a view's caller must pass (about roles only); the guard checks it first."""
    if RULES[name].about is not None:
        raise ValueError(f"rule {name} is about a {RULES[name].about}: check it in the view")

    def declare(view):
        """Mark the view."""
        view.policy_rule = name
        return view

    return declare


def protect(blueprint, name):
    """Declare `name` the rule of every view of `blueprint` that declares none of its own."""
    if RULES[name].about is not None:
        raise ValueError(f"rule {name} is about a {RULES[name].about}")
    DEFAULTS[blueprint.name] = name


def rule_of(app, endpoint):
    """The rule an endpoint declares, its blueprint's default, or None when it declares none."""
    view = app.view_functions.get(endpoint)
    declared = getattr(view, "policy_rule", None) or BUILT_IN.get(endpoint)
    return declared or DEFAULTS.get(endpoint.rpartition(".")[0])


def socket_requires(name, message=None, handler_checks=False):
    """Declare the rule of a socket event and check it: a refused event gets a structured error.

    `message` (lazy text) tells the user why. With `handler_checks`, the handler applies the rule itself
    (a vote checks it inside its one statement; connect answers False rather than an error).
    """
    if RULES[name].about is not None:
        raise ValueError(f"rule {name} is about a {RULES[name].about}: check it in the handler")

    def declare(handler):
        """Wrap the handler with its rule."""
        if handler_checks:
            handler.policy_rule = name
            return handler

        @wraps(handler)
        def checked(*args, **kwargs):
            """Run the handler when the socket's user passes the rule."""
            if allowed(current_user, name):
                return handler(*args, **kwargs)
            log.warning("socket %s refused %s (rule %s)", request.sid, request.event["message"], name)
            return {"ok": False, "error": "forbidden", "message": str(message)}

        checked.policy_rule = name
        return checked

    return declare


def init_app(app):
    """Guard every request: its endpoint's rule is checked before its view runs."""

    @app.before_request
    def _guard():
        """Refuse a request its endpoint's rule refuses; refuse outright an endpoint with no rule."""
        if request.endpoint is None:
            return  # routing failed: Flask answers 404 or 405
        name = rule_of(app, request.endpoint)
        if name is None:
            log.error("endpoint %s declares no permission rule: refused", request.endpoint)
            abort(403)
        if not allowed(current_user, name):
            refuse(name)

    app.jinja_env.globals["allowed"] = allowed
