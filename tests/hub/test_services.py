"""Hub services: every lifecycle step, every refusal, review races, progress and joining."""

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import set_committed_value

from forum.audit.models import AuditEntry
from forum.hub import decisions, joining, progress, services
from forum.hub.models import Contribution, JoinRequest, ProgressUpdate
from forum.rules import RuleViolation
from forum.threads.models import Post, Thread


def count(db, model):
    """Rows in a table."""
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_draft_is_saved_then_submitted(participant, valid_data, db):
    draft = services.create(participant, valid_data())
    assert draft.state == "draft" and draft.submitted_at is None
    assert [d.title for d in draft.deliverables] == ["Shared scheduler live", "Report on allocations"]
    assert draft.codes("area") == ["KE", "africa"] and draft.codes("group") == ["academia", "member_state"]
    assert "<strong>compute</strong>" in draft.description_html
    services.edit(participant, draft, valid_data(title="Open compute, revised"), submit=True)
    assert draft.state == "submitted" and draft.title == "Open compute, revised"


def test_description_is_sanitized_like_posts(participant, valid_data):
    contribution = services.create(
        participant, valid_data(description="<script>alert(1)</script> [x](javascript:alert(1))")
    )
    assert "<script>" not in contribution.description_html
    assert 'href="javascript' not in contribution.description_html


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "manifesto"}, "kind"),
        ({"title": "  "}, "title"),
        ({"summary": ""}, "summary"),
        ({"description": ""}, "description"),
        ({"lead_organisation": ""}, "lead_organisation"),
        ({"groups": []}, "groups"),
        ({"groups": ["aliens"]}, "groups"),
        ({"areas": []}, "areas"),
        ({"areas": ["XX"]}, "areas"),
        ({"themes": []}, "themes"),
        ({"themes": ["no-such-theme"]}, "themes"),
        ({"start_date": ""}, "start_date"),
        ({"start_date": "19/06/2026"}, "start_date"),
        ({"end_date": "2026-06-30"}, "end_date"),
        ({"deliverables": ""}, "deliverables"),
        ({"deliverables": "soon: a report"}, "deliverables"),
        ({"links": "javascript:alert(1)"}, "links"),
        ({"links": "ftp://example.org/file"}, "links"),
        ({"links": "https://ok.example.org\nexample.org"}, "links"),
        ({"contact_email": "not-an-email"}, "contact_email"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(participant, valid_data, db, changes, field):
    with pytest.raises(RuleViolation) as refused:
        services.create(participant, valid_data(**changes), submit=True)
    assert refused.value.field == field
    db.session.rollback()
    assert count(db, Contribution) == 0


def test_end_date_before_start_date_names_the_end_date(participant, valid_data):
    with pytest.raises(RuleViolation, match="end date cannot be before the start date"):
        services.create(participant, valid_data(start_date="2026-07-01", end_date="2026-06-30"))


def test_unverified_or_silenced_users_may_not_contribute(pending_user, valid_data, make_user, db):
    from datetime import timedelta

    from forum.database import utcnow

    silenced = make_user(silenced_until=None)
    silenced.silenced_until = utcnow() + timedelta(days=1)
    db.session.commit()
    for user in (pending_user, silenced):
        with pytest.raises(RuleViolation) as refused:
            services.create(user, valid_data())
        assert refused.value.code == "forbidden"
    assert count(db, Contribution) == 0


def test_nobody_edits_someone_elses_contribution(make_contribution, make_user, valid_data, db):
    contribution = make_contribution(state="draft")
    other = make_user()
    with pytest.raises(RuleViolation) as refused:
        services.edit(other, contribution, valid_data(title="Hijacked"))
    assert refused.value.code == "forbidden"
    db.session.rollback()
    assert db.session.get(Contribution, contribution.id).title == "Open compute for African universities"


def test_submitted_and_published_contributions_cannot_be_edited(make_contribution, valid_data):
    for state in ("submitted", "published", "rejected"):
        contribution = make_contribution(state=state)
        with pytest.raises(RuleViolation) as refused:
            services.edit(contribution.submitter, contribution, valid_data())
        assert refused.value.code == "not_editable"


def test_publish_opens_a_linked_thread_and_audits(make_contribution, admin, db):
    contribution = make_contribution()
    decisions.decide(admin, contribution, "publish")
    assert contribution.state == "published" and contribution.published_at is not None
    thread = contribution.thread
    assert thread.title == contribution.title and thread.theme.slug == "ai-divides"
    assert thread.author_id == contribution.submitter_id and thread.state == "published"
    first = db.session.get(Post, thread.first_post_id)
    assert f'href="/hub/{contribution.id}"' in first.body_html
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "hub.publish"))
    assert entry.actor_id == admin.id and entry.target_id == contribution.id
    assert entry.before == {"state": "submitted"} and entry.after == {"state": "published"}


@pytest.mark.parametrize(("decision", "state"), [("return", "returned"), ("reject", "rejected")])
def test_return_and_reject_need_a_reason_the_submitter_sees(make_contribution, admin, db, decision, state):
    contribution = make_contribution()
    with pytest.raises(RuleViolation) as refused:
        decisions.decide(admin, contribution, decision, "  ")
    assert refused.value.field == "reason"
    db.session.rollback()
    decisions.decide(admin, contribution, decision, "Add target dates.")
    assert contribution.state == state and contribution.state_reason == "Add target dates."
    assert contribution.thread_id is None
    assert db.session.scalar(select(AuditEntry.reason).where(AuditEntry.action == f"hub.{decision}")) == (
        "Add target dates."
    )


def test_a_returned_contribution_is_changed_and_resubmitted(make_contribution, valid_data):
    contribution = make_contribution(state="returned")
    services.edit(contribution.submitter, contribution, valid_data(summary="Clearer."), submit=True)
    assert contribution.state == "submitted" and contribution.summary == "Clearer."


def test_the_second_reviewer_is_told_who_handled_it(make_contribution, make_user, db):
    contribution = make_contribution()
    first, second = (
        make_user(role="admin", name="First Reviewer"),
        make_user(role="admin", name="Second Reviewer"),
    )
    stale = contribution.id
    decisions.decide(first, contribution, "publish")
    db.session.expire_all()
    seen_by_second = db.session.get(Contribution, stale)
    # The second reviewer's page still showed it as submitted: the conditional UPDATE matches nothing.
    set_committed_value(seen_by_second, "state", "submitted")
    with pytest.raises(RuleViolation) as refused:
        decisions.decide(second, seen_by_second, "reject", "Too late.")
    assert refused.value.code == "already_handled"
    assert "First Reviewer" in refused.value.message and "Published" in refused.value.message
    db.session.expire_all()
    assert db.session.get(Contribution, stale).state == "published"
    assert count(db, Thread) == 1
    assert db.session.scalar(select(func.count()).where(AuditEntry.action.like("hub.%"))) == 1


def test_a_claim_holds_the_item_for_one_reviewer(make_contribution, make_user, db):
    contribution = make_contribution()
    first, second = make_user(role="admin", name="First Reviewer"), make_user(role="admin")
    decisions.claim(first, contribution)
    decisions.claim(first, contribution)
    with pytest.raises(RuleViolation, match="First Reviewer is already reviewing"):
        decisions.claim(second, contribution)
    decisions.decide(first, contribution, "publish")
    with pytest.raises(RuleViolation) as refused:
        decisions.claim(second, contribution)
    assert refused.value.code == "already_handled"
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["hub.claim", "hub.claim", "hub.publish"]


def test_withdraw_by_the_submitter_only(make_contribution, make_user, db):
    contribution = make_contribution(state="published")
    with pytest.raises(RuleViolation):
        services.withdraw(make_user(), contribution)
    services.withdraw(contribution.submitter, contribution)
    assert contribution.state == "withdrawn"
    with pytest.raises(RuleViolation):
        services.withdraw(contribution.submitter, contribution)


def test_withdrawing_after_a_decision_is_refused(make_contribution, admin, db):
    contribution = make_contribution()
    stale_id = contribution.id
    decisions.decide(admin, contribution, "reject", "Out of scope.")
    db.session.expire_all()
    seen = db.session.get(Contribution, stale_id)
    set_committed_value(seen, "state", "submitted")  # the submitter's page was older than the decision
    with pytest.raises(RuleViolation) as refused:
        services.withdraw(seen.submitter, seen)
    assert refused.value.code == "conflict"
    db.session.expire_all()
    assert db.session.get(Contribution, stale_id).state == "rejected"


def test_progress_is_dated_per_deliverable(make_contribution, db):
    contribution = make_contribution(state="published")
    owner = contribution.submitter
    first, second = contribution.deliverables
    progress.add_progress(owner, contribution, first.id, "on_track", "2026-08-01", "Scheduler in beta.")
    assert contribution.progress_status == "on_track"
    progress.add_progress(owner, contribution, second.id, "delayed", "2026-08-02")
    assert contribution.progress_status == "delayed"
    progress.add_progress(owner, contribution, first.id, "completed", "2026-09-01")
    progress.add_progress(owner, contribution, second.id, "completed", "2026-09-02")
    assert contribution.progress_status == "completed"
    assert [u.status for u in first.updates] == ["completed", "on_track"]
    assert first.updates[1].reported_on == date(2026, 8, 1) and first.updates[1].note == "Scheduler in beta."


def test_progress_refusals(make_contribution, make_user, db):
    draft = make_contribution(state="draft")
    with pytest.raises(RuleViolation, match="once the contribution is published"):
        progress.add_progress(draft.submitter, draft, draft.deliverables[0].id, "on_track", "2026-08-01")
    contribution = make_contribution(state="published")
    owner, deliverable = contribution.submitter, contribution.deliverables[0].id
    with pytest.raises(RuleViolation) as refused:
        progress.add_progress(make_user(), contribution, deliverable, "on_track", "2026-08-01")
    assert refused.value.code == "forbidden"
    for args, field in [
        ((draft.deliverables[0].id, "on_track", "2026-08-01"), "deliverable"),
        ((deliverable, "finished", "2026-08-01"), "status"),
        ((deliverable, "on_track", ""), "reported_on"),
        ((deliverable, "on_track", "2999-01-01"), "reported_on"),
    ]:
        with pytest.raises(RuleViolation) as refused:
            progress.add_progress(owner, contribution, *args)
        assert refused.value.field == field
    assert count(db, ProgressUpdate) == 0


def test_joining_a_partnership(make_contribution, make_user, db):
    contribution = make_contribution(state="published")
    asker = make_user(organisation="Strathmore University")
    join = joining.request_join(asker, contribution, "Strathmore University", "We run a cluster.")
    with pytest.raises(RuleViolation, match="already a partner or has asked"):
        joining.request_join(make_user(), contribution, "strathmore university")
    with pytest.raises(RuleViolation) as refused:
        joining.decide_join(asker, join, True)
    assert refused.value.code == "forbidden"
    joining.decide_join(contribution.submitter, join, True)
    assert "Strathmore University" in contribution.partner_list
    with pytest.raises(RuleViolation, match="already been answered"):
        joining.decide_join(contribution.submitter, join, False)
    declined = joining.request_join(make_user(), contribution, "Acme AI")
    joining.decide_join(contribution.submitter, declined, False)
    assert "Acme AI" not in contribution.partner_list


def test_only_published_partnerships_and_coalitions_can_be_joined(make_contribution, make_user, pending_user):
    action = make_contribution(state="published", kind="action")
    draft = make_contribution(state="draft", kind="coalition")
    for contribution in (action, draft):
        with pytest.raises(RuleViolation):
            joining.request_join(make_user(), contribution, "Acme AI")
    coalition = make_contribution(state="published", kind="coalition")
    with pytest.raises(RuleViolation):
        joining.request_join(pending_user, coalition, "Acme AI")
    with pytest.raises(RuleViolation):
        joining.request_join(coalition.submitter, coalition, "Another Org")
    with pytest.raises(RuleViolation) as refused:
        joining.request_join(make_user(), coalition, "University of Nairobi")
    assert refused.value.field == "organisation"
    assert joining.request_join(make_user(), coalition, "Acme AI").state == "pending"
    assert len(coalition.join_requests) == 1 and isinstance(coalition.join_requests[0], JoinRequest)
