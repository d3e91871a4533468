"""Search pages."""

from flask import render_template

from forum.search import bp


@bp.route("/search")
def index():
    """The search form and its results."""
    return render_template("search/index.html")
