"""The report as a printable page and as a PDF, in a staff edition and a public one."""

from pathlib import Path

from flask import Response, current_app, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import ServiceUnavailable, TooManyRequests

from forum import pdfs, throttle
from forum.hub.models import OVERALL
from forum.insights import pages
from forum.multilingual import reader_language
from forum.policy import requires
from forum.report import bp, services

STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "css" / "report.css"
# Seconds a request waits for another PDF this process is making before it is told to come back.
WAIT_SECONDS = 2


def _render(template, edition):
    """The report of `edition` rendered with `template`, in the reader's language."""
    return render_template(
        template,
        report=services.build(edition),
        edition=edition,
        number=pages.number_format(),
        format_date=format_date,
        hub_progress=OVERALL,
        # Links in the PDF are absolute: it is read away from the site.
        site=request.host_url.rstrip("/"),
    )


def _pdf_store():
    """This process's PDFs (forum.pdfs)."""
    return current_app.extensions.setdefault("report_pdfs", pdfs.Pdfs())


def _who():
    """Whom a new PDF is counted against: the account, else the address."""
    return f"user:{current_user.id}" if current_user.is_authenticated else f"ip:{request.remote_addr}"


def _allow():
    """Refuse (429) a reader who has had too many PDFs made of late; kept ones cost nothing and count not."""
    wait = throttle.attempt("REPORT_PDF_LIMIT", _who())
    if wait:
        message = _("The report was made for you several times just now. Try again in a few minutes.")
        raise TooManyRequests(message, retry_after=wait)


def _pdf(edition):
    """The report as a PDF: the one made for the same content and language, or a new one."""
    html = _render("report/print.html", edition)
    store = _pdf_store()
    key = store.key(html, STYLESHEET)
    if request.if_none_match.contains(key):
        return Response(status=304, headers={"ETag": f'"{key}"'})
    try:
        body = store.make(
            key, html, STYLESHEET, current_app.config["REPORT_PDF_SECONDS"], WAIT_SECONDS, _allow
        )
    except pdfs.Busy:
        message = _("Another copy of the report is being made. Try again in a minute.")
        raise ServiceUnavailable(message, retry_after=30) from None
    except pdfs.Failed:
        current_app.logger.exception("the report's PDF failed")
        message = _("The PDF could not be made just now. The printable page has the same report.")
        raise ServiceUnavailable(message, retry_after=60) from None
    name = f"dialogue-report-{edition}-{reader_language()}.pdf"
    headers = {
        "Content-Disposition": f'inline; filename="{name}"',
        "ETag": f'"{key}"',
        "Cache-Control": "no-cache",
    }
    return Response(body, mimetype="application/pdf", headers=headers)


@bp.route("/insights/report")
def staff_page():
    """The staff edition: every dashboard figure, the takeaways, answered questions and Hub entries."""
    return _render("report/page.html", "staff")


@bp.route("/insights/report.pdf")
def staff_pdf():
    """The staff edition as a PDF."""
    return _pdf("staff")


@bp.route("/report")
@requires("read")
def public_page():
    """The public edition: the public figures, the published takeaways, answered questions and Hub entries."""
    return _render("report/page.html", "public")


@bp.route("/report.pdf")
@requires("read")
def public_pdf():
    """The public edition as a PDF."""
    return _pdf("public")
