"""The Hub's demo data: every state worth showing, made once."""

from sqlalchemy import select

from forum import demo
from forum.hub.demo import seed_hub
from forum.hub.models import Contribution


def test_demo_hub(db):
    demo.seed()
    contributions = {c.title: c for c in db.session.scalars(select(Contribution))}
    states = sorted(c.state for c in contributions.values())
    assert states == ["published", "published", "returned", "submitted"]
    published = [c for c in contributions.values() if c.state == "published"]
    assert all(c.thread_id for c in published)
    assert {c.progress_status for c in published} == {"on_track", "delayed"}
    compute = contributions["Shared AI compute for East African public universities"]
    assert [r.organisation for r in compute.join_requests] == ["Derechos Digitales"]
    assert seed_hub() == 0
