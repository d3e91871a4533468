"""Key takeaway pages: the public synthesis, a theme's section, and the drafters' workspace and forms."""

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from forum.extensions import db
from forum.forms import attach_error
from forum.policy import allowed, require, requires
from forum.rules import RuleViolation
from forum.states import TakeawayState
from forum.synthesis import bp, citations, picking, services
from forum.synthesis.forms import TakeawayForm
from forum.synthesis.models import Takeaway
from forum.threads.models import Theme

STATUS = {"forbidden": 403, "conflict": 409}
# The buttons of each state: (to, label, the rule that shows it), as services.TRANSITIONS allows.
STEPS = {
    TakeawayState.DRAFT: [(TakeawayState.REVIEW, _l("Send for review"), "takeaway.draft")],
    TakeawayState.REVIEW: [
        (TakeawayState.PUBLISHED, _l("Publish"), "takeaway.publish"),
        (TakeawayState.DRAFT, _l("Return to draft"), "takeaway.draft"),
    ],
    TakeawayState.PUBLISHED: [(TakeawayState.DRAFT, _l("Take back to draft"), "takeaway.publish")],
}


def theme_or_404(slug):
    """The theme, or 404."""
    return db.session.scalar(select(Theme).where(Theme.slug == slug)) or abort(404)


def takeaway_or_404(takeaway_id):
    """The takeaway, or 404 when it does not exist or the viewer may not see it."""
    takeaway = db.session.get(Takeaway, takeaway_id)
    if takeaway is None or not allowed(current_user, "takeaway.view", takeaway):
        abort(404)
    return takeaway


def theme_section(theme):
    """The theme page's key takeaways (published ones), and a way in for those who may draft them."""
    takeaways = services.of_theme(theme)
    may_draft = allowed(current_user, "takeaway.draft", services.blank(theme))
    if not takeaways and not may_draft:
        return Markup()
    return Markup(  # noqa: S704 - our template's output, user text escaped by it
        render_template(
            "synthesis/_theme_section.html",
            theme=theme,
            takeaways=takeaways,
            cited=citations.resolve_takeaways(takeaways),
            may_draft=may_draft,
        )
    )


@bp.route("/synthesis")
def synthesis():
    """The Dialogue's key takeaways, theme by theme: best practices, lessons learned, open questions."""
    groups = services.published_by_theme()
    cited = citations.resolve_takeaways([t for _theme, takeaways in groups for t in takeaways])
    return render_template("synthesis/index.html", groups=groups, cited=cited)


@bp.route("/synthesis/review")
@requires("moderate")
def review():
    """Moderators: every draft and every takeaway in review, theme by theme."""
    return render_template("synthesis/review.html", takeaways=services.unpublished())


def _workspace(theme, status=200, error=None):
    """A theme's takeaways in every state, with their steps, for those who may draft them."""
    takeaways = services.of_theme(theme, tuple(TakeawayState))
    context = {"theme": theme, "takeaways": takeaways, "error": error, "steps": STEPS}
    context["cited"] = citations.resolve_takeaways(takeaways)
    return render_template("synthesis/workspace.html", **context), status


@bp.route("/synthesis/themes/<slug>")
@requires("signed_in")
def workspace(slug):
    """A theme's key takeaways as their drafters work on them."""
    theme = theme_or_404(slug)
    require("takeaway.draft", services.blank(theme))
    return _workspace(theme)


def _form(takeaway):
    """The takeaway form, offering the sessions the user may choose and the theme's latest items."""
    theme = takeaway.theme
    sessions = [
        session
        for session in picking.sessions_for(theme)
        if allowed(current_user, "takeaway.draft", Takeaway(theme_id=theme.id, session_id=session.id))
    ]
    current = [(c.kind, c.target_id) for c in takeaway.citations]
    form = TakeawayForm(sessions, picking.candidates(theme, current), obj=takeaway)
    if request.method == "GET" and takeaway.id is not None:
        form.session.data = takeaway.session_id
        form.cited.data = [citation.key for citation in takeaway.citations]
    return form


def _edit(takeaway, template_title):
    """Show the form, or save it: back to the workspace, or the form again with the errors beside fields."""
    form = _form(takeaway)
    status = 200
    if form.validate_on_submit():
        try:
            services.save(
                current_user,
                takeaway,
                kind=form.kind.data,
                title=form.title.data,
                body=form.body.data,
                language=form.language.data,
                session_id=form.session.data,
                cited=form.cited.data or [],
                links=form.links.data,
            )
        except RuleViolation as error:
            db.session.rollback()
            if error.code == "forbidden":
                abort(403)
            attach_error(form, error)
            status = STATUS.get(error.code, 422)
        else:
            return redirect(
                url_for("synthesis.workspace", slug=takeaway.theme.slug, _anchor=f"takeaway-{takeaway.id}")
            )
    elif form.is_submitted():
        status = 422
    context = {"form": form, "theme": takeaway.theme, "takeaway": takeaway, "heading": template_title}
    return render_template("synthesis/form.html", **context), status


@bp.route("/synthesis/themes/<slug>/new", methods=["GET", "POST"])
@requires("signed_in")
def new(slug):
    """Draft a key takeaway of a theme."""
    takeaway = services.blank(theme_or_404(slug))
    require("takeaway.draft", takeaway)
    return _edit(takeaway, _("Draft a key takeaway"))


@bp.route("/synthesis/takeaways/<int:takeaway_id>/edit", methods=["GET", "POST"])
@requires("signed_in")
def edit(takeaway_id):
    """Change a key takeaway in draft or in review."""
    takeaway = takeaway_or_404(takeaway_id)
    require("takeaway.draft", takeaway)
    return _edit(takeaway, _("Edit a key takeaway"))


@bp.route("/synthesis/takeaways/<int:takeaway_id>/move", methods=["POST"])
@requires("signed_in")
def move(takeaway_id):
    """Send for review, return to draft, publish, or take a published takeaway back to draft."""
    takeaway = takeaway_or_404(takeaway_id)
    try:
        services.move(current_user, takeaway, request.form.get("to", ""))
    except RuleViolation as error:
        if error.code == "forbidden":
            abort(403)
        return _workspace(takeaway.theme, STATUS.get(error.code, 422), error.message)
    return redirect(
        url_for("synthesis.workspace", slug=takeaway.theme.slug, _anchor=f"takeaway-{takeaway.id}")
    )


@bp.route("/synthesis/takeaways/<int:takeaway_id>/delete", methods=["POST"])
@requires("signed_in")
def delete(takeaway_id):
    """Delete a draft."""
    takeaway = takeaway_or_404(takeaway_id)
    theme = takeaway.theme
    try:
        services.delete(current_user, takeaway)
    except RuleViolation as error:
        if error.code == "forbidden":
            abort(403)
        return _workspace(theme, STATUS.get(error.code, 422), error.message)
    return redirect(url_for("synthesis.workspace", slug=theme.slug))
