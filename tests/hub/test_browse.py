"""The public listing's filters and search, on SQLite and PostgreSQL (the `app` fixture runs both)."""

import pytest

from forum.hub import progress, queries


@pytest.fixture
def hub(make_contribution, make_user):
    """Three published contributions and a draft, with different kinds, themes, groups and places."""
    compute = make_contribution(state="published")
    standards = make_contribution(
        state="published",
        kind="coalition",
        title="Coalition on AI standards for procurement",
        summary="Public buyers align on which standards to cite.",
        description="Procurement rules that reference **ISO/IEC 42001**.",
        lead_organisation="Sector Member Telecom AG",
        partners="Open Standards Lab",
        groups=["private_sector"],
        areas=["europe", "DE"],
        themes=["standards"],
    )
    action = make_contribution(
        state="published",
        kind="action",
        title="Sign-language datasets",
        summary="A concrete action for inclusive AI: 100% open data.",
        description="Collect data_sets with deaf communities.",
        lead_organisation="Derechos Digitales",
        partners="",
        groups=["civil_society"],
        areas=["CL", "americas"],
        themes=["ai-divides", "standards"],
    )
    make_contribution(state="draft", title="Unpublished standards draft", themes=["standards"])
    progress.add_progress(action.submitter, action, action.deliverables[0].id, "delayed", "2026-08-01")
    return compute, standards, action


def titles(**filters):
    """Titles of the published contributions matching the filters."""
    rows, _has_next = queries.page_of(queries.Filters(**filters), 1)
    return sorted(c.title for c in rows)


def test_no_filter_lists_every_published_contribution(hub):
    assert titles() == sorted(c.title for c in hub)


def test_filters(hub):
    compute, standards, action = (c.title for c in hub)
    assert titles(kind="coalition") == [standards]
    assert titles(theme="standards") == sorted([standards, action])
    assert titles(theme="ai-divides") == sorted([compute, action])
    assert titles(group="civil_society") == [action]
    assert titles(area="KE") == [compute]
    assert titles(area="europe") == [standards]
    assert titles(status="delayed") == [action]
    assert titles(status="not_reported") == sorted([compute, standards])
    assert titles(kind="coalition", theme="ai-divides") == []


def test_search_matches_title_summary_description_and_organisations(hub):
    compute, standards, action = (c.title for c in hub)
    assert titles(q="PROCUREMENT") == [standards]
    assert titles(q="universities") == [compute]
    assert titles(q="42001") == [standards]
    assert titles(q="derechos") == [action]
    assert titles(q="makerere") == [compute]
    assert titles(q="open standards lab") == [standards]
    assert titles(q="standards", kind="action") == []
    assert titles(q="unpublished") == []


def test_search_treats_wildcards_as_text(hub):
    _compute, _standards, action = (c.title for c in hub)
    assert titles(q="100%") == [action]
    assert titles(q="data_sets") == [action]
    assert titles(q="%") == [action]
    assert titles(q="_") == [action]


def test_listing_page_applies_filters(client, hub):
    html = client.get("/hub/?q=procurement&kind=coalition").get_data(as_text=True)
    assert "Coalition on AI standards for procurement" in html and "Sign-language datasets" not in html
    assert "No contribution matches" in client.get("/hub/?area=AQ").get_data(as_text=True)


def test_listing_pages(client, make_contribution, monkeypatch):
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    for n in range(3):
        make_contribution(state="published", title=f"Contribution {n}")
    first = client.get("/hub/").get_data(as_text=True)
    assert "Contribution 2" in first and "Contribution 0" not in first and "Next page" in first
    second = client.get("/hub/?page=2").get_data(as_text=True)
    assert "Contribution 0" in second and "Previous page" in second
