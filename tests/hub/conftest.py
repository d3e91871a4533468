"""Hub fixtures: themes, a valid contribution's form values, and contributions in any state."""

import pytest

from forum.hub import decisions, services


@pytest.fixture
def hub_themes(make_theme):
    """Two themes contributions can be filed under."""
    return [
        make_theme(slug="ai-divides", name="Bridging AI divides"),
        make_theme(slug="standards", name="AI standards"),
    ]


@pytest.fixture
def valid_data(hub_themes):
    """Form values of a complete contribution: valid_data(title=..., ...) changes some."""

    def factory(**changes):
        data = {
            "kind": "partnership",
            "title": "Open compute for African universities",
            "summary": "Pooling GPU time for public universities across East Africa.",
            "description": "We pool **compute** across universities.",
            "lead_organisation": "University of Nairobi",
            "partners": "Makerere University\nUniversity of Rwanda",
            "groups": ["academia", "member_state"],
            "areas": ["africa", "KE"],
            "themes": ["ai-divides"],
            "start_date": "2026-07-01",
            "end_date": "2027-06-30",
            "deliverables": "2026-12-31 Shared scheduler live\n2027-06-30 Report on allocations",
            "links": "https://example.org/compute",
            "contact_email": "compute@example.org",
        }
        return {**data, **changes}

    return factory


@pytest.fixture
def make_contribution(make_user, valid_data):
    """A contribution in a given state: make_contribution(state="published", submitter=..., **fields)."""

    def factory(state="submitted", submitter=None, reviewer=None, **changes):
        submitter = submitter or make_user()
        contribution = services.create(submitter, valid_data(**changes), submit=state != "draft")
        if state in ("published", "returned", "rejected"):
            reviewer = reviewer or make_user(role="admin")
            decision = {"published": "publish", "returned": "return", "rejected": "reject"}[state]
            decisions.decide(reviewer, contribution, decision, "" if state == "published" else "Needs dates.")
        elif state == "withdrawn":
            services.withdraw(submitter, contribution)
        return contribution

    return factory
