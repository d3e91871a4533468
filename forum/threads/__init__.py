"""Themes, threads and posts."""

from flask import Blueprint

from forum.policy import protect

bp = Blueprint("threads", __name__)
# Who may reach its pages, unless a view declares otherwise (forum.policy).
protect(bp, "read")


@bp.record_once
def template_globals(state):
    """The names of thread kinds, attribution modes and post states (and a post's own), for every template."""
    state.app.jinja_env.globals.update(
        thread_kinds=models.THREAD_KINDS,
        attribution_modes=models.ATTRIBUTION_MODES,
        post_states=models.POST_STATES,
        post_state_label=models.state_label,
    )


from forum.threads import live, models, posts, routes  # noqa: E402,F401
