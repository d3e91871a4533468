"""Key takeaways of each theme (best practices, lessons learned, open questions) and the staff archive."""

from flask import Blueprint

from forum.policy import protect

bp = Blueprint("synthesis", __name__)
# Who may reach its pages, unless a view declares otherwise (forum.policy).
protect(bp, "read")


@bp.record_once
def theme_pages(state):
    """Every theme's page shows its published key takeaways (forum.threads offers the place); the
    takeaways' labels are there for every template, the theme page's included."""
    state.app.extensions.setdefault("theme_sections", []).append(routes.theme_section)
    state.app.jinja_env.globals.update(
        takeaway_kinds=models.TAKEAWAY_KINDS,
        takeaway_states=models.TAKEAWAY_STATES,
        citation_kinds=models.CITATION_KINDS,
    )


from forum.synthesis import archive_routes, models, routes  # noqa: E402,F401
