"""Reading the forum through the API: themes, threads, posts, sessions, questions, speakers, the Hub.

Each view asks the same queries and policy rules as the pages, so a reader gets what the pages show
them: visitors the public data (on a members-only site, nothing), a token's user also their own.
"""

from flask import abort, g
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.api import bp, present, schemas
from forum.api.io import answer, arguments, keyset, listed, page
from forum.api.spec import operation
from forum.extensions import db
from forum.hub.models import Contribution
from forum.policy import allowed, requires
from forum.qa import listing, speakers
from forum.qa import services as qa
from forum.qa.models import AgendaSession
from forum.states import ContributionState
from forum.threads import queries
from forum.threads.models import Post, Theme, Thread


@bp.route("/me")
@requires("signed_in")
@operation("The token's user and scope", schemas.Me)
def me():
    """Who the token acts for, and what it may do."""
    user = current_user
    found = {
        "id": user.id,
        "name": user.name,
        "handle": user.handle,
        "role": user.role,
        "status": user.status,
    }
    return answer(schemas.Me, {**found, "scope": g.api_token.scope})


def visible_thread(thread_id):
    """The thread, or 404 when it does not exist or the reader may not see it (as the thread page)."""
    found = db.session.get(Thread, thread_id)
    if found is None or not allowed(current_user, "thread.view", found):
        abort(404)
    return found


def visible_session(slug):
    """The programme session, or 404."""
    return qa.by_slug(slug) or abort(404)


@bp.route("/themes")
@operation("The Dialogue's themes", schemas.ThemePage, args=schemas.PageArgs)
def themes():
    """Themes, in the order they were added."""
    rows, cursor = keyset(select(Theme), Theme.id, arguments(schemas.PageArgs))
    return page(schemas.ThemePage, [present.theme(t) for t in rows], cursor)


@bp.route("/threads")
@operation("Threads, newest first", schemas.ThreadPage, args=schemas.ThreadArgs)
def threads():
    """Published threads (and the caller's own held ones), newest first; by theme or language."""
    found = arguments(schemas.ThreadArgs)
    query = (
        select(Thread)
        .where(queries.visible_threads(current_user))
        .options(selectinload(Thread.theme), selectinload(Thread.tags), selectinload(Thread.author))
    )
    if "theme" in found:
        query = query.join(Theme, Theme.id == Thread.theme_id).where(Theme.slug == found["theme"])
    if "language" in found:
        query = query.where(Thread.language == found["language"])
    rows, cursor = keyset(query, Thread.id, found, descending=True)
    return page(schemas.ThreadPage, [present.thread(current_user, t) for t in rows], cursor)


@bp.route("/threads/<int:thread_id>")
@operation("One thread", schemas.Thread)
def thread(thread_id):
    """A thread the caller may see."""
    return answer(schemas.Thread, present.thread(current_user, visible_thread(thread_id)))


@bp.route("/threads/<int:thread_id>/posts")
@operation("A thread's posts, oldest first", schemas.PostPage, args=schemas.PageArgs)
def posts(thread_id):
    """The posts of a thread that the caller sees on its page, oldest first."""
    found = visible_thread(thread_id)
    query = (
        select(Post)
        .where(queries.post_filter(current_user, found))
        .options(selectinload(Post.author), selectinload(Post.reply_to))
    )
    rows, cursor = keyset(query, Post.id, arguments(schemas.PageArgs))
    return page(schemas.PostPage, [present.post(current_user, p) for p in rows], cursor)


@bp.route("/posts/<int:post_id>")
@operation("One post", schemas.Post)
def post(post_id):
    """A post the caller may see, in a thread they may see."""
    found = db.session.get(Post, post_id)
    if found is None or not allowed(current_user, "post.view", found):
        abort(404)
    visible_thread(found.thread_id)
    return answer(schemas.Post, present.post(current_user, found))


@bp.route("/sessions")
@operation("The programme's sessions", schemas.SessionPage, args=schemas.PageArgs)
def sessions():
    """Every session of the programme, in the order they were added."""
    query = select(AgendaSession).options(selectinload(AgendaSession.chairs))
    rows, cursor = keyset(query, AgendaSession.id, arguments(schemas.PageArgs))
    return page(schemas.SessionPage, [present.session(s) for s in rows], cursor)


@bp.route("/sessions/<slug>")
@operation("One session", schemas.Session)
def session(slug):
    """A session of the programme."""
    return answer(schemas.Session, present.session(visible_session(slug)))


@bp.route("/sessions/<slug>/questions")
@operation("A session's questions, oldest first", schemas.QuestionPage, args=schemas.QuestionArgs)
def questions(slug):
    """The questions the caller sees on the session's page (its pending ones too), oldest first."""
    found = visible_session(slug)
    wanted = arguments(schemas.QuestionArgs)
    shown = sorted(listing.visible(current_user, found, language=wanted.get("language")), key=lambda q: q.id)
    rows, cursor = listed(shown, lambda q: q.id, wanted)
    identified = allowed(current_user, "session.moderate", found)
    return page(schemas.QuestionPage, [present.question(q, identified) for q in rows], cursor)


@bp.route("/sessions/<slug>/speakers")
@operation("A session's speakers' list, in order", schemas.SpeakerPage, args=schemas.PageArgs)
def speakers_list(slug):
    """The approved and delivered statements, in the order the chair gives the floor."""
    found = visible_session(slug)
    rows, cursor = listed(speakers.approved(found), lambda s: s.position, arguments(schemas.PageArgs))
    floor = found.current_slot_id
    return page(schemas.SpeakerPage, [present.speaker(s, floor) for s in rows], cursor)


@bp.route("/hub/contributions")
@operation("Published Hub contributions, newest first", schemas.ContributionPage, args=schemas.PageArgs)
def contributions():
    """The Partnerships Hub's published contributions, newest first."""
    query = select(Contribution).where(Contribution.state == ContributionState.PUBLISHED)
    rows, cursor = keyset(query, Contribution.id, arguments(schemas.PageArgs), descending=True)
    return page(schemas.ContributionPage, [present.contribution(c) for c in rows], cursor)


@bp.route("/hub/contributions/<int:contribution_id>")
@operation("One Hub contribution", schemas.Contribution)
def contribution(contribution_id):
    """A contribution the caller may see: published (or withdrawn after publication), or their own."""
    found = db.session.get(Contribution, contribution_id)
    if found is None or not allowed(current_user, "contribution.view", found):
        abort(404)
    return answer(schemas.Contribution, present.contribution(found))
