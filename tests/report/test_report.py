"""The report of the Dialogue: its page and its PDF made by WeasyPrint, checked by reading the PDF back
(pages, text, the seeded world's counts, right-to-left Arabic), who may read which edition, and what
keeps the PDF from costing a server process: kept by content, a rate limit, one made at a time."""

import io
import re

import pypdf
import pytest

from forum import pdfs
from forum.report import services
from forum.synthesis import services as synthesis
from forum.synthesis.models import Takeaway
from tests.conftest import Auth

# The seeded people (tests/insights/conftest.py) and the moderator who drafted the takeaways.
NAMES = re.compile(r"Clara|Kamau|Nadia|Pemba|Rene|Test User|user\d+@", re.IGNORECASE)
REPORT_AR = "تقرير الحوار"
# The counts are checked on both databases (the first test); the rest is the same on either.
SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"])


@pytest.fixture
def staff(app, reported, moderator):
    """A moderator's signed-in client."""
    client = app.test_client()
    Auth(client).login(moderator)
    return client


def pages_of(response):
    """The PDF's pages as text, after checking it is one."""
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.data)).pages]


def starts(response, needle):
    """Where (points from the page's left edge) the first text run holding `needle` starts on page one."""
    found = []

    def visit(text, cm, tm, _font, _size):
        """Keep the runs holding the needle, with their x."""
        if needle in text:
            found.append(tm[4] * cm[0] + cm[4])

    reader = pypdf.PdfReader(io.BytesIO(response.data))
    reader.pages[0].extract_text(visitor_text=visit)
    return found[0], float(reader.pages[0].mediabox.width)


def test_the_staff_pdf_has_every_part_and_the_seeded_counts(staff):
    pages = pages_of(staff.get("/insights/report.pdf"))
    text = "\n".join(pages)
    assert len(pages) >= 8  # cover, contents, key figures, figures, takeaways, questions, Hub
    assert pages[0].startswith("Global Dialogue on AI Governance\nReport of the Dialogue")
    assert "Staff edition" in pages[0]
    contents = pages[1]
    for part in ("Participation in figures", "Key takeaways by theme", "Ethics", "Other",
                 "Answered questions by session", "and concrete actions"):  # fmt: skip
        assert re.search(rf"{re.escape(part)} \.+ \d+", contents), part
    # The seeded world's counts (tests/insights), the moderator's registration among them.
    key = pages[2]
    for label, value in (("Verified registrations", 4), ("Posts", 5), ("Threads", 2), ("Questions", 2),
                         ("Votes", 3), ("Statements", 2), ("Hub entries", 1)):  # fmt: skip
        assert f"\n{label}\n{value}\n" in key, label
    assert "Kenya African States 1 0 1" in text and "Nepal Asia-Pacific States 0 1 1" in text
    assert "2026-07-06 3 1 2 3 2 0" in text and "2026-07-07 2 1 0 0 0 1" in text
    assert "Civil society 3 1 1 1 1 0" in text  # activity by group
    # Takeaways by theme, their citations as every reader sees them; answered questions; the Hub.
    assert "Who audits the auditors?" in text and "Pool compute across borders" in text
    assert "Anonymous (Civil society)" in text and "— Academia, Switzerland" in text
    assert "What about audits? — Anonymous (Civil society); 0 votes" in text
    assert "Compute pool" in text and "Led by Acme." in text
    assert not NAMES.search(text)


@SQLITE_ONLY
def test_the_public_edition_shows_only_public_figures_and_names_no_one(app, reported):
    client = app.test_client()
    page = client.get("/report")
    assert page.status_code == 200
    assert 'href="#report-takeaways"' in page.text and 'href="/report.pdf"' in page.text
    assert "Pool compute across borders" in page.text and 'class="chart" src="data:image/svg+xml' in page.text
    pages = pages_of(client.get("/report.pdf"))
    text = "\n".join(pages)
    assert "Public edition" in pages[0] and "Who audits the auditors?" in text
    assert "Nepal" not in text and "Kenya" not in text and "Activity by day" not in text
    assert "Civil society 3 1 1 1 1 0" in text
    assert not NAMES.search(text) and not NAMES.search(page.text)
    assert app.test_client().get("/insights/report").status_code == 302  # the staff edition: sign in


@SQLITE_ONLY
def test_a_session_lists_its_most_voted_answers_and_links_to_the_rest(app, reported, monkeypatch):
    monkeypatch.setattr(services, "ANSWERED_SHOWN", 0)
    page = app.test_client().get("/report")
    assert "0 votes" not in page.text  # the question is listed no more (its takeaway still cites it)
    assert "1 more answered question is in the session's Q&A." in page.text
    assert 'href="http://localhost/programme/audits"' in page.text


@SQLITE_ONLY
def test_the_arabic_report_reads_right_to_left(app, reported):
    client = app.test_client()
    arabic = client.get("/report.pdf", headers={"Accept-Language": "ar"})
    pages = pages_of(arabic)
    assert REPORT_AR in pages[0]  # the words in their logical order, shaped from Arabic glyphs
    assert "Report of the Dialogue" not in "\n".join(pages)
    x, width = starts(arabic, REPORT_AR)
    assert x > width / 2  # set from the right margin
    x, width = starts(client.get("/report.pdf"), "Report of the Dialogue")
    assert x < width / 4
    page = client.get("/report", headers={"Accept-Language": "ar"})
    assert 'dir="rtl"' in page.text and REPORT_AR in page.text


@SQLITE_ONLY
def test_a_pdf_is_made_once_per_content_and_language(app, reported, moderator, monkeypatch):
    made = []
    real = pdfs.render
    monkeypatch.setattr(pdfs, "render", lambda *args: made.append(1) or real(*args))
    client = app.test_client()
    first = client.get("/report.pdf")
    again = client.get("/report.pdf")
    assert len(made) == 1 and first.data == again.data and first.headers["ETag"] == again.headers["ETag"]
    assert client.get("/report.pdf", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    takeaway = synthesis.save(moderator, synthesis.blank(reported.ethics), kind="lesson_learned",
                              title="Publish the audits", body="Openly.", language="en")  # fmt: skip
    synthesis.move(moderator, takeaway, "review")
    synthesis.move(moderator, takeaway, "published")
    changed = client.get("/report.pdf", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and len(made) == 2
    assert "Publish the audits" in "\n".join(pages_of(changed))
    assert Takeaway.query.count() == 3


@SQLITE_ONLY
@pytest.mark.parametrize("config_overrides", [{"REPORT_PDF_LIMIT": "1 per hour"}])
def test_a_reader_has_few_pdfs_made_and_is_told_when_to_come_back(app, reported, monkeypatch):
    monkeypatch.setattr(pdfs, "render", lambda *args: b"%PDF-1.7 made")
    client = app.test_client()
    assert client.get("/report.pdf").status_code == 200
    assert client.get("/report.pdf").status_code == 200  # kept: it costs nothing
    refused = client.get("/report.pdf", headers={"Accept-Language": "fr"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "plusieurs fois" in refused.text


@SQLITE_ONLY
def test_one_pdf_at_a_time_and_a_failed_one_is_a_503(app, reported, monkeypatch):
    client = app.test_client()
    store = app.extensions.setdefault("report_pdfs", pdfs.Pdfs())
    assert store.making.acquire(timeout=1)  # another request is making one
    try:
        busy = client.get("/report.pdf")
    finally:
        store.making.release()
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "30"
    assert "being made" in busy.text
    app.config["REPORT_PDF_SECONDS"] = 0.001
    failed = client.get("/report.pdf")
    assert failed.status_code == 503 and "printable page" in failed.text
