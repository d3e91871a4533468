"""Hub pages: submitting, editing, reviewing, progress, joining, exports, and who may do what."""

import csv
import io

import pytest
from sqlalchemy import func, select

from forum.hub.models import Contribution, JoinRequest, ProgressUpdate
from forum.notifications.models import Notification
from tests.conftest import Auth


def form_data(values, action="submit"):
    """POST data of the contribution form."""
    return {**values, "action": action}


def test_the_listing_is_public_with_a_countdown(client, make_contribution):
    make_contribution(state="published", title="Published one")
    make_contribution(state="submitted", title="Still in review")
    page = client.get("/hub/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Published one" in html and "Still in review" not in html
    assert "Time left:" in html and "Submit a contribution" in html


def test_the_nav_links_to_the_hub(client):
    assert 'href="/hub/"' in client.get("/").get_data(as_text=True)


def test_new_requires_sign_in(client):
    response = client.get("/hub/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_participant_submits_and_sees_it(client, auth, participant, valid_data, db):
    auth.login(participant)
    assert "Lead organisation" in client.get("/hub/new").get_data(as_text=True)
    response = client.post("/hub/new", data=form_data(valid_data()))
    assert response.status_code == 302
    contribution = db.session.scalar(select(Contribution))
    assert contribution.state == "submitted" and contribution.submitter_id == participant.id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Submitted for review" in page and "Shared scheduler live" in page


def test_save_as_draft_then_edit_and_submit(client, auth, participant, valid_data, db):
    auth.login(participant)
    client.post("/hub/new", data=form_data(valid_data(), action="save"))
    contribution = db.session.scalar(select(Contribution))
    assert contribution.state == "draft"
    assert "Open compute for African universities" in client.get(f"/hub/{contribution.id}/edit").get_data(
        as_text=True
    )
    response = client.post(
        f"/hub/{contribution.id}/edit", data=form_data(valid_data(title="Renamed"), "save")
    )
    assert response.status_code == 302
    assert client.post(f"/hub/{contribution.id}/submit").status_code == 302
    db.session.expire_all()
    contribution = db.session.get(Contribution, contribution.id)
    assert contribution.title == "Renamed" and contribution.state == "submitted"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Give the contribution a title."),
        ({"links": "javascript:alert(1)"}, "links", "is not a web address starting with http:// or https://"),
        ({"end_date": "2026-01-01"}, "end_date", "The end date cannot be before the start date."),
        ({"contact_email": ""}, "contact_email", "Enter a contact email address."),
        ({"deliverables": "next year"}, "deliverables", "Write each deliverable on its own line"),
    ],
)
def test_bad_input_shows_beside_the_field_and_stores_nothing(
    client, auth, participant, valid_data, db, changes, field, message
):
    auth.login(participant)
    response = client.post("/hub/new", data=form_data(valid_data(summary="Typed summary kept", **changes)))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = html.split(f'id="{field}-error"', 1)[1].split("</p>", 1)[0]
    assert message in error
    assert "Typed summary kept" in html
    assert db.session.scalar(select(func.count()).select_from(Contribution)) == 0


def test_editing_someone_elses_contribution_is_refused(
    client, auth, make_contribution, make_user, valid_data, db
):
    contribution = make_contribution(state="published")
    auth.login(make_user())
    for response in (
        client.get(f"/hub/{contribution.id}/edit"),
        client.post(f"/hub/{contribution.id}/edit", data=form_data(valid_data(title="Hijacked"))),
    ):
        assert response.status_code == 403
        assert "You may only change your own" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Contribution, contribution.id).title == "Open compute for African universities"


def test_unpublished_contributions_are_private(client, auth, make_contribution, make_user):
    draft = make_contribution(state="draft")
    assert client.get(f"/hub/{draft.id}").status_code == 404
    auth.login(make_user())
    assert client.get(f"/hub/{draft.id}").status_code == 404
    assert client.post(f"/hub/{draft.id}/withdraw").status_code == 404


def test_contact_email_only_for_verified_participants(client, make_contribution, make_user, pending_user):
    contribution = make_contribution(state="published")
    assert "compute@example.org" not in client.get(f"/hub/{contribution.id}").get_data(as_text=True)
    auth = Auth(client)
    auth.login(pending_user)
    assert "compute@example.org" not in client.get(f"/hub/{contribution.id}").get_data(as_text=True)
    auth.logout()
    auth.login(make_user())
    assert "compute@example.org" in client.get(f"/hub/{contribution.id}").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/hub/review", "/hub/review/1"])
def test_the_review_queue_is_for_the_secretariat(client, make_user, make_contribution, path):
    make_contribution()
    assert client.get(path).status_code == 302
    auth = Auth(client)
    for role in ("participant", "moderator"):
        auth.login(make_user(role=role))
        assert client.get(path).status_code == 403
        assert client.post("/hub/review/1/decide", data={"decision": "publish"}).status_code == 403
        auth.logout()
    auth.login(make_user(role="admin"))
    assert client.get(path).status_code == 200


def test_review_publish_links_contribution_and_thread(client, auth, admin, make_contribution, db):
    contribution = make_contribution()
    auth.login(admin)
    assert "Open compute for African universities" in client.get("/hub/review").get_data(as_text=True)
    assert client.post(f"/hub/review/{contribution.id}/claim").status_code == 302
    assert "Claimed by Ada Admin" in client.get(f"/hub/review/{contribution.id}").get_data(as_text=True)
    response = client.post(f"/hub/review/{contribution.id}/decide", data={"decision": "publish"})
    assert response.status_code == 302
    db.session.expire_all()
    contribution = db.session.get(Contribution, contribution.id)
    detail = client.get(f"/hub/{contribution.id}").get_data(as_text=True)
    assert f'href="/threads/{contribution.thread_id}"' in detail
    thread_page = client.get(f"/threads/{contribution.thread_id}").get_data(as_text=True)
    assert f'href="/hub/{contribution.id}"' in thread_page
    notice = db.session.scalar(select(Notification).where(Notification.user_id == contribution.submitter_id))
    assert notice.kind == "hub_published" and notice.thread_id == contribution.thread_id
    again = client.post(f"/hub/review/{contribution.id}/decide", data={"decision": "reject", "reason": "No."})
    assert again.status_code == 409
    assert "Ada Admin has already handled this contribution: Published." in again.get_data(as_text=True)


def test_a_return_reason_shows_on_my_contributions(client, make_user, make_contribution, participant, db):
    contribution = make_contribution(submitter=participant)
    auth = Auth(client)
    auth.login(make_user(role="admin"))
    missing = client.post(f"/hub/review/{contribution.id}/decide", data={"decision": "return"})
    assert missing.status_code == 422 and "Give the submitter a reason." in missing.get_data(as_text=True)
    client.post(
        f"/hub/review/{contribution.id}/decide", data={"decision": "return", "reason": "Add a deliverable."}
    )
    auth.logout()
    auth.login(participant)
    mine = client.get("/hub/mine").get_data(as_text=True)
    assert "Returned for changes" in mine and "Add a deliverable." in mine
    notices = client.get("/notifications").get_data(as_text=True)
    assert "The secretariat returned your Partnerships Hub contribution for changes" in notices
    assert "Open compute for African universities: Add a deliverable." in notices
    assert "Add a deliverable." in client.get(f"/hub/{contribution.id}/edit").get_data(as_text=True)


def test_withdraw_route(client, auth, participant, make_contribution, db):
    contribution = make_contribution(submitter=participant)
    auth.login(participant)
    assert client.post(f"/hub/{contribution.id}/withdraw").status_code == 302
    assert "Withdrawn" in client.get("/hub/mine").get_data(as_text=True)
    auth.logout()
    # Never published: nobody else ever saw it.
    assert client.get(f"/hub/{contribution.id}").status_code == 404


def test_a_withdrawn_published_contribution_stays_readable(client, auth, participant, make_contribution, db):
    contribution = make_contribution(state="published", submitter=participant)
    auth.login(participant)
    assert client.post(f"/hub/{contribution.id}/withdraw").status_code == 302
    auth.logout()
    page = client.get(f"/hub/{contribution.id}")
    assert page.status_code == 200 and "Status: Withdrawn" in page.get_data(as_text=True)
    assert contribution.title not in client.get("/hub/").get_data(as_text=True)


def test_progress_route(client, auth, participant, make_contribution, db):
    contribution = make_contribution(state="published", submitter=participant)
    deliverable = contribution.deliverables[0].id
    auth.login(participant)
    bad = client.post(
        f"/hub/{contribution.id}/progress",
        data={"deliverable": deliverable, "status": "delayed", "reported_on": "2999-01-01"},
    )
    assert bad.status_code == 422 and "future date" in bad.get_data(as_text=True)
    ok = client.post(
        f"/hub/{contribution.id}/progress",
        data={
            "deliverable": deliverable,
            "status": "delayed",
            "reported_on": "2026-08-01",
            "note": "Chips late.",
        },
    )
    assert ok.status_code == 302
    page = client.get(f"/hub/{contribution.id}").get_data(as_text=True)
    assert "Chips late." in page and "Delayed" in page
    assert db.session.scalar(select(func.count()).select_from(ProgressUpdate)) == 1


def test_someone_else_cannot_report_progress(client, auth, make_user, make_contribution, db):
    contribution = make_contribution(state="published")
    auth.login(make_user())
    response = client.post(
        f"/hub/{contribution.id}/progress",
        data={
            "deliverable": contribution.deliverables[0].id,
            "status": "completed",
            "reported_on": "2026-08-01",
        },
    )
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(ProgressUpdate)) == 0


def test_join_request_accepted_appears_on_the_page(client, make_user, make_contribution, participant, db):
    contribution = make_contribution(state="published", submitter=participant)
    auth = Auth(client)
    auth.login(make_user(organisation="Strathmore University"))
    empty = client.post(f"/hub/{contribution.id}/join", data={"organisation": ""})
    assert empty.status_code == 422 and "Name your organisation." in empty.get_data(as_text=True)
    assert (
        client.post(
            f"/hub/{contribution.id}/join", data={"organisation": "Strathmore University"}
        ).status_code
        == 302
    )
    join = db.session.scalar(select(JoinRequest))
    assert client.post(f"/hub/join-requests/{join.id}", data={"answer": "accept"}).status_code == 403
    auth.logout()
    auth.login(participant)
    assert "Accept Strathmore University" in client.get(f"/hub/{contribution.id}").get_data(as_text=True)
    client.post(f"/hub/join-requests/{join.id}", data={"answer": "accept"})
    partners = client.get(f"/hub/{contribution.id}").get_data(as_text=True).split('id="partners"')[1]
    assert "Strathmore University" in partners.split("</ul>")[0]


def test_exports_hold_published_contributions_without_contacts(client, make_contribution):
    make_contribution(state="published", title="=HYPERLINK(1)")
    make_contribution(state="draft", title="Private draft")
    data = client.get("/hub/export.json").get_json()
    assert [c["title"] for c in data["contributions"]] == ["=HYPERLINK(1)"]
    first = data["contributions"][0]
    assert first["deliverables"][0]["title"] == "Shared scheduler live" and "contact_email" not in first
    response = client.get("/hub/export.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["id", "kind", "title"] and len(rows) == 2
    assert rows[1][2] == "'=HYPERLINK(1)"
    assert "compute@example.org" not in response.get_data(as_text=True)


def test_an_empty_form_marks_every_missing_field_at_once(client, auth, participant, db):
    auth.login(participant)
    response = client.post("/hub/new", data={"action": "submit", "contact_email": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("kind", "title", "summary", "description", "groups", "areas", "themes", "start_date"):
        assert f'id="{field}-error"' in html
    assert db.session.scalar(select(func.count()).select_from(Contribution)) == 0
