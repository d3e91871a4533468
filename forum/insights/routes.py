"""The participation dashboard (staff), the public summary (anyone), and every figure as CSV, JSON and,
when drawn, an SVG chart."""

import json

from flask import Response, abort, render_template, request

from forum.csv_export import to_csv
from forum.extensions import db
from forum.insights import bp, pages, services
from forum.insights.forms import FilterForm
from forum.policy import requires
from forum.qa.models import AgendaSession
from forum.threads.models import Theme

FORMATS = "any(csv, json, svg)"
STAFF_FIGURES = f"any({', '.join(services.STAFF)})"
PUBLIC_FIGURES = f"any({', '.join(services.PUBLIC)})"


def _filter_form():
    """The filter form read from the query string, with the themes and sessions to choose from."""
    themes = db.session.scalars(db.select(Theme).order_by(Theme.position, Theme.id)).all()
    sessions = db.session.scalars(db.select(AgendaSession).order_by(AgendaSession.starts_at)).all()
    return FilterForm(request.args, themes=themes, sessions=sessions)


def _export(table, fmt):
    """One figure as a CSV or JSON download, or its chart (404 for a figure drawn as a table only)."""
    if fmt == "svg":
        if not pages.is_drawn(table):
            abort(404)
        headers = {"Content-Security-Policy": pages.CHART_POLICY}
        return Response(pages.chart(table), mimetype="image/svg+xml", headers=headers)
    headers = {"Content-Disposition": f"attachment; filename={table.name}.{fmt}"}
    if fmt == "csv":
        body = to_csv([column for column, _label in table.columns], table.rows)
        return Response(body, mimetype="text/csv", headers=headers)
    body = {"figure": table.name, "title": str(table.title), "rows": table.records()}
    return Response(
        json.dumps(body, ensure_ascii=False, indent=1), mimetype="application/json", headers=headers
    )


@bp.route("/insights/")
def dashboard():
    """Registrations, activity and voice share under the chosen filters; bad filters get a 422 beside them."""
    form = _filter_form()
    if not form.validate():
        return render_template("insights/dashboard.html", form=form, tables=None), 422
    tables = services.figures(form.filters).values()
    return render_template(
        "insights/dashboard.html",
        form=form,
        tables=tables,
        drawn=pages.is_drawn,
        number=pages.number_format(),
    )


@bp.route(f"/insights/<{STAFF_FIGURES}:figure>.<{FORMATS}:fmt>")
def staff_export(figure, fmt):
    """One dashboard figure under the filters of the query string; bad filters get a 422 saying why."""
    form = _filter_form()
    if not form.validate():
        fields = {form[name].name: [str(error) for error in errors] for name, errors in form.errors.items()}
        body = {"error": "invalid_filters", "fields": fields}
        return Response(json.dumps(body, ensure_ascii=False), status=422, mimetype="application/json")
    return _export(services.figures(form.filters, names=(figure,))[figure], fmt)


@bp.route("/participation")
@requires("anyone")
def summary():
    """The public summary: registrations, activity and voice share by group, region and language."""
    tables = services.figures(names=services.PUBLIC).values()
    return render_template(
        "insights/summary.html", tables=tables, drawn=pages.is_drawn, number=pages.number_format()
    )


@bp.route(f"/participation/<{PUBLIC_FIGURES}:figure>.<{FORMATS}:fmt>")
@requires("anyone")
def public_export(figure, fmt):
    """One figure of the public summary as CSV, JSON or its chart."""
    return _export(services.figures(names=(figure,))[figure], fmt)
