"""The secretariat edits the programme: sessions in Geneva time, chairs, themes, threads, audit, deletion."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from forum.audit.models import AuditEntry
from forum.extensions import db
from forum.policy import allowed
from forum.qa import questions
from forum.qa.models import AgendaSession
from tests.conftest import Auth


def form(**changes):
    """A valid agenda form for 6 July 2026, 10:00 to 11:30 Geneva time (CEST, UTC+2)."""
    data = {
        "title-en": "AI and the Sustainable Development Goals",
        "slug": "",
        "description-en": "How AI governance serves the SDGs.",
        "day": "2026-07-06",
        "starts": "10:00",
        "ends": "11:30",
        "room": "Palexpo, Room C",
        "chairs": "",
        "speakers": "Minister for ICT, Rwanda\n\nDirector, ITU Telecommunication Development Bureau",
        "threads": "",
        "moderation_mode": "pre",
        "speaker_deadline": "2026-07-06T09:00",
    }
    return {**data, **changes}


def test_admin_adds_a_session_in_geneva_time_and_it_is_audited(
    client, auth, admin, make_user, make_theme, make_thread
):
    chair = make_user(name="Carla Chair")
    theme, thread = make_theme(name="AI divides"), make_thread(title="SDG indicators")
    auth.login(admin)
    data = form(
        chairs=chair.email.upper(), threads=f"http://localhost/threads/{thread.id}", themes=[theme.id]
    )
    response = client.post("/admin/sessions/new", data=data)
    assert response.status_code == 303
    session = db.session.scalar(select(AgendaSession))
    assert session.slug == "ai-and-the-sustainable-development-goals"
    assert session.starts_at == datetime(2026, 7, 6, 8, 0, tzinfo=UTC)
    assert session.ends_at == datetime(2026, 7, 6, 9, 30, tzinfo=UTC)
    assert session.speaker_deadline == datetime(2026, 7, 6, 7, 0, tzinfo=UTC)
    assert session.speaker_names == [
        "Minister for ICT, Rwanda",
        "Director, ITU Telecommunication Development Bureau",
    ]
    assert (session.themes, session.threads, session.moderation_mode) == ([theme], [thread], "pre")
    # Being assigned makes the participant a chair under the one rule: they now run the session.
    db.session.refresh(chair)
    assert chair.role == "chair" and allowed(chair, "session.chair", session)
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"session.create", "user.role"} <= actions
    listing = client.get("/admin/sessions").text
    assert "AI and the Sustainable Development Goals" in listing and "Carla Chair" in listing
    page = client.get(f"/programme/{session.slug}").text
    assert "Carla Chair" in page and "10:00" in page


def test_admin_edits_a_session_and_the_form_shows_geneva_time(client, auth, admin, make_session, make_user):
    moderator_chair = make_user(role="moderator")
    session = make_session(qa_state="closed")
    session.starts_at = datetime(2026, 7, 7, 12, 0, tzinfo=UTC)
    session.ends_at = datetime(2026, 7, 7, 13, 0, tzinfo=UTC)
    db.session.commit()
    auth.login(admin)
    page = client.get(f"/admin/sessions/{session.id}").text
    assert 'value="2026-07-07"' in page and 'value="14:00"' in page and 'value="15:00"' in page
    response = client.post(
        f"/admin/sessions/{session.id}",
        data=form(slug=session.slug, day="2026-07-07", chairs=moderator_chair.email, moderation_mode="post"),
    )
    assert response.status_code == 303
    db.session.refresh(session)
    assert session.title == {"en": "AI and the Sustainable Development Goals"}
    assert session.starts_at == datetime(2026, 7, 7, 8, 0, tzinfo=UTC)
    # A moderator keeps their role: it carries the chair permission for the sessions they are assigned to.
    db.session.refresh(moderator_chair)
    assert moderator_chair.role == "moderator" and allowed(moderator_chair, "session.speakers", session)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "session.edit"))
    assert entry.before["starts_at"].startswith("2026-07-07T12:00")
    assert entry.after["chairs"] == [moderator_chair.id]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends": "09:30"}, "ends", "The session must end after it starts."),
        ({"ends": "10:00"}, "ends", "The session must end after it starts."),
        ({"day": "2026-08-01"}, "day", "Sessions take place during the Dialogue"),
        ({"day": ""}, "day", "Enter the day of the session."),
        ({"chairs": "nobody@example.org"}, "chairs", "No verified account uses nobody@example.org."),
        ({"title-en": ""}, "title", "Give the session a title in at least one of the six languages."),
        ({"title-ar": "ع" * 201}, "title-ar", "Arabic: at most 200 characters."),
        ({"description-ru": "д" * 5001}, "description-ru", "Russian: at most 5,000 characters."),
        ({"room": ""}, "room", "Name the room"),
        ({"slug": "Not A Slug"}, "slug", "Use lower-case letters"),
        ({"threads": "99999"}, "threads", "There is no thread 99999."),
        ({"speaker_deadline": "2026-07-06T12:00"}, "speaker_deadline", "must not be after the session ends"),
        ({"moderation_mode": "sometimes"}, "moderation_mode", "Choose one of the options."),
    ],
)
def test_bad_agenda_input_is_shown_beside_the_field_and_nothing_is_stored(
    client, auth, admin, changes, field, message
):
    auth.login(admin)
    response = client.post("/admin/sessions/new", data=form(**changes))
    assert response.status_code == 422
    start = response.text.index(f'id="{field}-error"')
    assert message in response.text[start : start + 300]
    assert 'value="Palexpo, Room C"' in response.text or field == "room"
    assert db.session.scalar(select(func.count()).select_from(AgendaSession)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_an_unverified_chair_is_refused(client, auth, admin, pending_user):
    auth.login(admin)
    response = client.post("/admin/sessions/new", data=form(chairs=pending_user.email))
    assert response.status_code == 422
    assert "No verified account uses" in response.text
    assert pending_user.role == "participant"


@pytest.mark.parametrize("role", ["participant", "moderator", "chair"])
def test_only_the_secretariat_edits_the_agenda(client, make_user, make_session, role):
    user = make_user(role=role)
    session = make_session(chairs=[user] if role == "chair" else [])
    Auth(client).login(user)
    for path in ("/admin/sessions", "/admin/sessions/new", f"/admin/sessions/{session.id}"):
        assert client.get(path).status_code == 403
    assert client.post(f"/admin/sessions/{session.id}", data=form()).status_code == 403
    assert client.post(f"/admin/sessions/{session.id}/delete").status_code == 403
    db.session.refresh(session)
    assert str(session.title).startswith("Session ")


def test_anonymous_visitors_are_sent_to_sign_in(client, make_session):
    session = make_session()
    for path in ("/admin/sessions", "/admin/sessions/new", f"/admin/sessions/{session.id}"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "/login" in client.post(f"/admin/sessions/{session.id}/delete").headers["Location"]


def test_deleting_a_session_with_questions_is_refused_and_an_empty_one_is_deleted(
    client, auth, admin, make_session, participant
):
    asked, empty = make_session(), make_session()
    questions.ask(participant, asked, "Will this session still happen?")
    auth.login(admin)
    response = client.post(f"/admin/sessions/{asked.id}/delete")
    assert response.status_code == 409
    assert "stays on the record" in response.text
    assert db.session.get(AgendaSession, asked.id) is not None
    response = client.post(f"/admin/sessions/{empty.id}/delete")
    assert response.status_code == 303
    left = db.session.scalars(select(AgendaSession.id)).all()
    assert left == [asked.id]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "session.delete"))
    assert entry.target_id == empty.id and entry.before["title"] == empty.title


def test_removing_a_chair_takes_their_rights_in_the_session(client, auth, admin, make_user, make_session):
    chair = make_user(role="chair")
    session = make_session(chairs=[chair])
    session.starts_at = datetime(2026, 7, 6, 8, 0, tzinfo=UTC)
    session.ends_at = datetime(2026, 7, 6, 9, 0, tzinfo=UTC)
    db.session.commit()
    assert allowed(chair, "session.moderate", session)
    auth.login(admin)
    response = client.post(f"/admin/sessions/{session.id}", data=form(slug=session.slug, chairs=""))
    assert response.status_code == 303
    db.session.refresh(session)
    assert session.chairs == [] and not allowed(chair, "session.moderate", session)
