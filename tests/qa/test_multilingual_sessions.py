"""The programme's sessions in the six UN languages: the agenda form, and each surface in the reader's."""

from sqlalchemy import select

from forum.extensions import db
from forum.qa.models import AgendaSession
from tests.qa.test_agenda import form

TITLES = {
    "ar": "الذكاء الاصطناعي وأهداف التنمية المستدامة",
    "zh": "人工智能与可持续发展目标",
    "en": "AI and the Sustainable Development Goals",
    "fr": "L’IA et les objectifs de développement durable",
    "ru": "ИИ и цели в области устойчивого развития",
    "es": "La IA y los Objetivos de Desarrollo Sostenible",
}


def test_the_agenda_form_saves_six_languages_and_each_reader_reads_theirs(app, client, auth, admin):
    auth.login(admin)
    data = form(
        **{f"title-{code}": title for code, title in TITLES.items()},
        **{"description-fr": "Comment la gouvernance de l’IA sert les ODD."},
    )
    assert client.post("/admin/sessions/new", data=data).status_code == 303
    session = db.session.scalar(select(AgendaSession))
    assert session.title == TITLES and session.slug == "ai-and-the-sustainable-development-goals"
    assert session.description == {
        "en": "How AI governance serves the SDGs.",
        "fr": "Comment la gouvernance de l’IA sert les ODD.",
    }
    reader = app.test_client()
    french = reader.get(f"/programme/{session.slug}", headers={"Accept-Language": "fr"}).text
    assert (
        f"<h1>{TITLES['fr']}</h1>" in french
        and "<p>Comment la gouvernance de l’IA sert les ODD.</p>" in french
    )
    programme = reader.get("/programme", headers={"Accept-Language": "ru"}).text
    assert TITLES["ru"] in programme and TITLES["en"] not in programme
    screen = reader.get(f"/programme/{session.slug}/screen", headers={"Accept-Language": "ar"}).text
    assert f"<h1>{TITLES['ar']}</h1>" in screen
    summary = client.get(f"/programme/{session.slug}/summary.md", headers={"Accept-Language": "zh"}).text
    assert summary.startswith(f"# {TITLES['zh']}\n")
    # The secretariat's list and the audit log keep the English text.
    assert TITLES["en"] in client.get("/admin/sessions", headers={"Accept-Language": "en"}).text


def test_a_language_not_yet_written_falls_back_with_a_marked_text_in_its_own_language(app, make_session):
    session = make_session()
    session.title, session.description = {"fr": "Ouverture du Dialogue"}, {"fr": "Allocutions."}
    db.session.commit()
    reader = app.test_client()
    russian = reader.get(f"/programme/{session.slug}", headers={"Accept-Language": "ru"}).text
    marked = '<span lang="fr" dir="ltr">Ouverture du Dialogue</span> <span class="lang-label untranslated">'
    assert f"<h1>{marked}Ещё не переведено</span></h1>" in russian
    assert '<span lang="fr" dir="ltr">Allocutions.</span>' in russian
    programme = reader.get("/programme", headers={"Accept-Language": "ar"}).text
    link = f'<a href="/programme/{session.slug}" lang="fr" dir="ltr">Ouverture du Dialogue</a>'
    assert f'{link} <span class="lang-label untranslated">' in programme
    french = reader.get(f"/programme/{session.slug}", headers={"Accept-Language": "fr"}).text
    assert "<h1>Ouverture du Dialogue</h1>" in french and "untranslated" not in french
