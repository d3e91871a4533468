"""Theme and thread pages: lists, a thread with its posts, opening threads, replying, following."""

from flask import abort, current_app, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from forum import shared
from forum.database import autocommit_request
from forum.extensions import db
from forum.forms import attach_error, form_page
from forum.languages import offered
from forum.notifications import services as notifications
from forum.params import int_arg
from forum.policy import allowed, require, requires
from forum.realtime.store import last_seq
from forum.rules import RuleViolation
from forum.templating import csrf_token
from forum.threads import bp, content, controls, page, queries, refusals, services
from forum.threads.forms import ReplyForm, ThreadForm, ThreadMetaForm
from forum.threads.links import MARKER
from forum.threads.models import Post, Theme, Thread


def visible_thread(thread_id):
    """The thread, or 404 when it does not exist or the viewer may not see it."""
    thread = db.session.get(Thread, thread_id)
    if thread is None or not allowed(current_user, "thread.view", thread):
        abort(404)
    return thread


def theme_by_slug(slug):
    """The theme, or 404."""
    return db.session.scalar(select(Theme).where(Theme.slug == slug)) or abort(404)


def all_themes():
    """Themes in their display order."""
    return db.session.scalars(select(Theme).order_by(Theme.position, Theme.id)).all()


def render_list(template, theme=None, **context):
    """A thread list page (one theme or all), with unread counts for the viewer; filtered by ?language=."""
    language = offered(request.args.get("language"))
    pinned, threads, next_cursor = queries.thread_list(
        current_user, theme, request.args.get("after"), language
    )
    unread = queries.unread_counts(current_user, pinned + threads)
    return render_template(
        template,
        theme=theme,
        pinned=pinned,
        threads=threads,
        next_cursor=next_cursor,
        unread=unread,
        language=language,
        **context,
    )


@bp.route("/threads")
def index():
    """Every thread, newest activity first."""
    return render_list("threads/index.html", themes=all_themes())


@bp.route("/themes/<slug>")
def theme(slug):
    """The threads of one theme, newest activity first."""
    found = theme_by_slug(slug)
    return render_list(
        "threads/theme.html",
        theme=found,
        following=notifications.is_following(current_user, theme=found),
        # What other features add below the description: app.extensions["theme_sections"], (theme) -> markup.
        sections=[section(found) for section in current_app.extensions.get("theme_sections", ())],
    )


def _mark_read(state, post_ids, thread_id):
    """The reader has seen these posts: advance their read mark and clear the matching notifications."""
    if not post_ids or max(post_ids) <= state.read_up_to:
        return state.unread
    # Notifications of this thread can only be unread for posts the reader had not reached yet.
    if queries.mark_read(current_user, thread_id, max(post_ids)):
        notifications.mark_read(current_user, thread_id=thread_id, up_to_post_id=max(post_ids))
        return notifications.unread_count(current_user)
    return state.unread


def _shared_parts(thread, view, language, seq):
    """The parts of a thread page every reader shares: its top, Language filter, pager and composer."""
    facts = (thread.id, thread.title, thread.kind, thread.attribution, thread.state, thread.slow_mode_seconds)
    pages = (thread.id, view.page, view.pages, language)
    return {
        "head": shared.markup(
            "threads/_head.html",
            (*facts, thread.language, seq),
            lambda: {"thread": thread},
            seconds=page.PAGE_SECONDS,
        ),
        "filter": shared.markup(
            "threads/_filter.html",
            (thread.id, language),
            lambda: {"thread_id": thread.id, "language": language},
        ),
        "pager": shared.markup(
            "threads/_pages.html",
            pages,
            lambda: {"thread_id": thread.id, "page": view.page, "pages": view.pages, "language": language},
        ),
        # An empty form without a token of its own: the page's form carries the reader's.
        "composer": shared.markup(
            "threads/_composer.html", (), lambda: {"form": ReplyForm(meta={"csrf": False})}
        ),
    }


def _render_thread(thread_id, number, language, seq):
    """The thread page for the current reader: shared post fragments, their own controls around them."""
    found = visible_thread(thread_id)
    # The user itself, not the request-local proxy: the page asks it some hundred questions.
    viewer = current_user._get_current_object()
    view = page.thread_view(viewer, found, number, language, seq, csrf_token)
    if view.state is not None:
        # A filtered page skips posts in other languages: it does not move the read mark past them.
        g.unread_notifications = _mark_read(view.state, () if language else view.post_ids, found.id)
    can_reply = allowed(viewer, "thread.reply", found)
    return render_template(
        "threads/thread.html",
        thread=found,
        view=view,
        language=language,
        since=seq,
        can_reply=can_reply,
        reply_refusal=None if can_reply else refusals.reply_refusal(viewer, found),
        following=view.state is not None and view.state.following,
        live_controls=controls.live(viewer, found, csrf_token),
        live_marker=MARKER,
        **_shared_parts(found, view, language, seq),
    )


@bp.route("/threads/<int:thread_id>")
@autocommit_request
def thread(thread_id):
    """A thread with its posts, 20 to a page, or only those in ?language=; visitors share a kept copy."""
    seq = last_seq(f"thread:{thread_id}")
    number = int_arg("page", 1, minimum=1)
    language = offered(request.args.get("language"))
    if not current_user.is_authenticated and shared.cacheable_request():
        # Asked first, not kept: a thread taken out of sight is gone for visitors at once.
        found = visible_thread(thread_id)
        facts = (
            found.id,
            found.state,
            found.locked,
            found.attribution,
            found.title,
            found.kind,
            found.language,
        )
        render = lambda: _render_thread(thread_id, number, language, seq)  # noqa: E731 - one-line deferral
        return shared.page(("thread", *facts, number, language, seq), render, page.PAGE_SECONDS)
    return _render_thread(thread_id, number, language, seq)


@bp.route("/threads/new", methods=["GET", "POST"])
@requires("signed_in")
def new_thread():
    """Open a thread in a theme."""
    themes = all_themes()
    form = ThreadForm(themes=themes)
    if not form.is_submitted():
        form.theme.data = request.args.get("theme", "")
    if form.validate_on_submit():
        theme_found = next((t for t in themes if t.slug == form.theme.data), None)
        try:
            created = services.create_thread(
                current_user, theme_found, form.title.data, form.kind.data, form.body.data,
                tags=form.tags.data, attribution=form.attribution.data, language=form.language.data,
            )  # fmt: skip
        except RuleViolation as error:
            attach_error(form, error)
        else:
            return redirect(url_for("threads.thread", thread_id=created.id))
    return form_page("threads/new.html", form, refusal=refusals.posting_refusal(current_user))


@bp.route("/threads/<int:thread_id>/reply", methods=["GET", "POST"])
@requires("signed_in")
def reply(thread_id):
    """Reply to a thread; GET with ?to=<post> (and &quote=1) prepares an answer to one post."""
    thread = visible_thread(thread_id)
    form = ReplyForm()
    target_id = int_arg("to", form.reply_to.data)
    target = db.session.get(Post, target_id) if target_id else None
    if target is not None and (
        target.thread_id != thread.id or not allowed(current_user, "post.view", target)
    ):
        target = None
    if request.method == "GET" and target is not None:
        form.reply_to.data = target.id
        if request.args.get("quote"):
            form.body.data = content.quote(target)
    if form.validate_on_submit():
        try:
            post = services.reply(
                current_user, thread, form.body.data, reply_to=target, language=form.language.data
            )
        except RuleViolation as error:
            attach_error(form, error)
        else:
            page = queries.page_of(current_user, post)
            return redirect(
                url_for("threads.thread", thread_id=thread.id, page=page, _anchor=f"post-{post.id}")
            )
    # Asked after a refused POST as well: the form then stays, with the words typed, beside the reason.
    refusal = refusals.reply_refusal(current_user, thread)
    return form_page("threads/reply.html", form, thread=thread, target=target, refusal=refusal)


@bp.route("/threads/<int:thread_id>/edit", methods=["GET", "POST"])
@requires("signed_in")
def edit_thread(thread_id):
    """The author or a moderator changes the thread's title, kind, attribution and tags."""
    thread = visible_thread(thread_id)
    require("thread.edit", thread)
    form = ThreadMetaForm(obj=thread)
    if not form.is_submitted():
        form.tags.data = ", ".join(tag.name for tag in thread.tags)
    if form.validate_on_submit():
        try:
            services.update_thread(
                current_user, thread, form.title.data, form.kind.data, form.attribution.data, form.tags.data
            )
        except RuleViolation as error:
            if error.code == "forbidden":
                abort(403)
            attach_error(form, error)
        else:
            return redirect(url_for("threads.thread", thread_id=thread.id))
    return form_page("threads/edit.html", form, thread=thread)


@bp.route("/threads/<int:thread_id>/follow", methods=["POST"])
@requires("signed_in")
def follow_thread(thread_id):
    """Follow or stop following a thread."""
    thread = visible_thread(thread_id)
    follow = request.form.get("follow") == "1"
    notifications.set_following(current_user, thread=thread, follow=follow)
    return redirect(url_for("threads.thread", thread_id=thread.id))


@bp.route("/themes/<slug>/follow", methods=["POST"])
@requires("signed_in")
def follow_theme(slug):
    """Follow or stop following a theme."""
    found = theme_by_slug(slug)
    notifications.set_following(current_user, theme=found, follow=request.form.get("follow") == "1")
    return redirect(url_for("threads.theme", slug=found.slug))


@bp.errorhandler(RuleViolation)
def refused(error):
    """A refused action that no form shows: a 403 page with the reason."""
    return render_template("errors/error.html", code=403, error=None, reason=error.message), 403
