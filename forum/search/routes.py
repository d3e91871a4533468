"""The search page: a GET form and a page of results."""

from flask import render_template, request
from flask_login import current_user

from forum.params import int_arg
from forum.search import bp, services
from forum.search.forms import SearchForm


@bp.route("/search")
def index():
    """The search form and, once it holds words to find, a page of results; bad filters get a 422."""
    form = SearchForm(request.args, themes=services.themes())
    if not form.validate():
        return render_template("search/index.html", form=form, results=None), 422
    results = None
    if services.parse(form.q.data) is not None:
        page = int_arg("page", 1, minimum=1)
        results = services.search(current_user, form.q.data, page=page, **form.filters)
    return render_template("search/index.html", form=form, results=results)
