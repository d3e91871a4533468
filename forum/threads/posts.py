"""Post pages: permalink, edit, delete, endorse, revision history."""

from dataclasses import dataclass
from datetime import datetime

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from forum.accounts.attribution import name_for
from forum.extensions import db
from forum.forms import attach_error, form_page
from forum.policy import allowed, requires
from forum.rules import RuleViolation
from forum.states import PostState, ThreadState
from forum.threads import bp, queries, services
from forum.threads.forms import PostForm
from forum.threads.models import Post, PostRevision


@dataclass(frozen=True)
class Revision:
    """An earlier text of a post; `editor` (who replaced it) is named only where the reader sees who wrote."""

    id: int
    created_at: datetime
    body_html: str
    editor: str | None


def visible_post(post_id):
    """The post, or 404 when it or its thread is out of the viewer's sight."""
    post = db.session.get(Post, post_id)
    if post is None or not allowed(current_user, "thread.view", post.thread):
        abort(404)
    if not allowed(current_user, "post.view", post):
        abort(404)
    return post


def editable_post(post_id):
    """The post, when the viewer may see it (else 404) and edit or delete it (else 403)."""
    found = visible_post(post_id)
    if not allowed(current_user, "post.edit", found):
        abort(403)
    return found


def post_url(post):
    """The post on its page of the thread."""
    page = queries.page_of(current_user, post)
    return url_for("threads.thread", thread_id=post.thread_id, page=page, _anchor=f"post-{post.id}")


@bp.route("/posts/<int:post_id>")
def post(post_id):
    """Permalink: the post on its page of the thread."""
    return redirect(post_url(visible_post(post_id)))


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@requires("signed_in")
def edit_post(post_id):
    """The author (or a moderator) edits a post; the earlier text is kept in its history."""
    found = editable_post(post_id)
    form = PostForm(obj=found)
    if form.validate_on_submit():
        try:
            services.edit_post(current_user, found, form.body.data, form.language.data)
        except RuleViolation as error:
            attach_error(form, error)
        else:
            return redirect(post_url(found))
    return form_page("threads/edit_post.html", form, post=found)


@bp.route("/posts/<int:post_id>/delete", methods=["GET", "POST"])
@requires("signed_in")
def delete_post(post_id):
    """Confirm, then delete a post; a placeholder stays in the thread."""
    found = editable_post(post_id)
    if request.method == "POST":
        services.delete_post(current_user, found)
        if found.thread.state == ThreadState.DELETED:
            return redirect(url_for("threads.theme", slug=found.thread.theme.slug))
        return redirect(post_url(found))
    return render_template("threads/delete_post.html", post=found)


@bp.route("/posts/<int:post_id>/endorse", methods=["POST"])
@requires("signed_in")
def endorse(post_id):
    """Endorse a post (endorse=1), or withdraw the endorsement (endorse=0)."""
    found = visible_post(post_id)
    services.set_endorsement(current_user, found, request.form.get("endorse") != "0")
    return redirect(post_url(found))


@bp.route("/posts/<int:post_id>/revisions")
def revisions(post_id):
    """Every earlier version of a post, newest first."""
    found = visible_post(post_id)
    if found.state == PostState.DELETED and not allowed(current_user, "moderate"):
        abort(404)
    revisions = db.session.scalars(
        select(PostRevision).where(PostRevision.post_id == found.id).order_by(PostRevision.id.desc())
    )
    history = [
        Revision(rev.id, rev.created_at, rev.body_html, name_for(current_user, found.thread, rev.editor))
        for rev in revisions
    ]
    return render_template("threads/revisions.html", post=found, history=history)
