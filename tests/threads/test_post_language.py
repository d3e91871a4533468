"""The language of each post: detected or chosen, edited by its author, rendered, and filtered on."""

import re

import pytest
from sqlalchemy import select

from forum.audit.models import AuditEntry
from forum.rules import RuleViolation
from forum.threads import services
from forum.threads.rows import POSTS_PER_PAGE
from tests.conftest import Auth

ES = "Necesitamos reglas comunes para auditar los sistemas de inteligencia artificial."
FR = "Il nous faut des règles communes pour auditer les systèmes d'intelligence artificielle."
EN = "We need shared rules for auditing artificial intelligence systems everywhere."
AR = "نحتاج إلى قواعد مشتركة لتدقيق أنظمة الذكاء الاصطناعي في البلدان النامية."


def test_a_thread_takes_its_opening_posts_detected_language(db, make_thread, make_post):
    thread = make_thread(body=ES)
    assert thread.language == "es"
    assert db.session.get(services.Post, thread.first_post_id).language == "es"
    assert make_post(thread, body=FR).language == "fr"
    assert make_post(thread, body="Thanks!").language is None


def test_the_authors_choice_is_kept(client, auth, db, participant, make_theme):
    theme = make_theme()
    auth.login(participant)
    data = {"theme": theme.slug, "title": "Rules", "kind": "discussion", "attribution": "record"}
    client.post("/threads/new", data={**data, "body": EN, "language": "ar"})
    thread = db.session.scalar(select(services.Thread))
    assert thread.language == "ar"
    # The edit form starts from the stored choice, so saving the text again keeps it.
    form = client.get(f"/posts/{thread.first_post_id}/edit").text
    assert '<option selected value="ar">' in form or '<option value="ar" selected>' in form
    client.post(f"/posts/{thread.first_post_id}/edit", data={"body": EN + " Edited.", "language": "ar"})
    db.session.refresh(thread)
    assert thread.language == "ar"


def test_a_reply_form_choice_wins_over_detection(client, auth, db, participant, make_thread):
    thread = make_thread()
    auth.login(participant)
    client.post(f"/threads/{thread.id}/reply", data={"body": EN, "language": "fr"})
    client.post(f"/threads/{thread.id}/reply", data={"body": ES, "language": ""})
    others = select(services.Post).where(services.Post.id != thread.first_post_id)
    replies = db.session.scalars(others.order_by(services.Post.id)).all()
    assert [p.language for p in replies] == ["fr", "es"]


def test_an_unknown_language_is_refused_beside_the_field(client, auth, db, participant, make_thread):
    thread = make_thread()
    auth.login(participant)
    response = client.post(f"/threads/{thread.id}/reply", data={"body": EN, "language": "xx"})
    assert response.status_code == 422
    assert 'id="language-error"' in response.text and EN in response.text
    assert db.session.scalar(select(services.func.count()).select_from(services.Post)) == 1


def test_editing_changes_the_language_of_the_post_and_its_thread(client, auth, db, participant, make_thread):
    thread = make_thread(author=participant, body=EN)
    auth.login(participant)
    client.post(f"/posts/{thread.first_post_id}/edit", data={"body": EN, "language": "es"})
    db.session.refresh(thread)
    assert thread.language == "es"
    client.post(f"/posts/{thread.first_post_id}/edit", data={"body": FR, "language": ""})
    db.session.refresh(thread)
    assert thread.language == "fr"
    assert db.session.get(services.Post, thread.first_post_id).language == "fr"


def test_a_non_author_cannot_change_a_posts_language(client, db, participant, make_user, make_thread):
    thread = make_thread(author=participant, body=EN)
    other = make_user()
    post = db.session.get(services.Post, thread.first_post_id)
    with pytest.raises(RuleViolation):
        services.edit_post(other, post, EN, "ar")
    Auth(client).login(other)
    response = client.post(f"/posts/{post.id}/edit", data={"body": EN, "language": "ar"})
    assert response.status_code == 403
    db.session.refresh(post)
    assert post.language == "en"


def test_staff_change_a_language_on_the_record(db, moderator, make_thread):
    thread = make_thread(body=EN)
    post = db.session.get(services.Post, thread.first_post_id)
    services.edit_post(moderator, post, EN, "ru")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "post.edit"))
    assert entry.before == {"language": "en"} and entry.after == {"language": "ru"}


def test_posts_carry_their_lang_and_dir(client, participant, make_thread, make_post):
    thread = make_thread(body=EN)
    make_post(thread, body=AR)
    make_post(thread, body="OK")
    page = client.get(f"/threads/{thread.id}").text
    assert '<div class="post-body" lang="ar" dir="rtl">' in page
    assert '<div class="post-body" lang="en" dir="ltr">' in page
    assert '<div class="post-body" dir="auto">' in page
    # A label names the language where it is not the page's: Arabic and unknown, not English.
    assert '<span class="lang-label">Arabic</span>' in page
    assert '<span class="lang-label">Unknown language</span>' in page
    assert '<span class="lang-label">English</span>' not in page
    french = client.get(f"/threads/{thread.id}", headers={"Accept-Language": "fr"}).text
    assert '<span class="lang-label">Anglais</span>' in french


def test_the_thread_lists_filter_by_the_opening_posts_language(client, make_theme, make_thread, make_post):
    theme = make_theme()
    spanish = make_thread(theme=theme, title="Hilo en español", body=ES)
    english = make_thread(theme=theme, title="An English thread", body=EN)
    make_post(english, body=ES)
    for path in ("/threads", f"/themes/{theme.slug}"):
        page = client.get(f"{path}?language=es").text
        assert "Hilo en español" in page and "An English thread" not in page
        assert f'<a href="{path}?language=es" aria-current="true">Spanish</a>' in page
        assert "An English thread" in client.get(f"{path}?language=en").text
        assert "No thread in this language yet." in client.get(f"{path}?language=ar").text
        # A language not offered filters nothing.
        unfiltered = client.get(f"{path}?language=zz").text
        assert "Hilo en español" in unfiltered and "An English thread" in unfiltered
    assert spanish.language == "es"


def test_a_thread_page_filters_its_posts_with_correct_pages(client, participant, make_thread, make_post):
    thread = make_thread(body=EN)
    for n in range(POSTS_PER_PAGE + 3):
        make_post(thread, author=participant, body=f"{FR} Réponse {n}.")
        make_post(thread, author=participant, body=f"{EN} Reply {n}.")
    # The unfiltered page is rendered (and cached) first: the filtered one must not reuse it.
    everything = client.get(f"/threads/{thread.id}").text
    assert "Réponse 0." in everything and "Reply 0." in everything
    first = client.get(f"/threads/{thread.id}?language=fr").text
    assert first.count('class="post-body" lang="fr"') == POSTS_PER_PAGE
    assert not re.search(r"Reply \d+\.", first)
    assert f'href="/threads/{thread.id}?page=2&amp;language=fr"' in first
    second = client.get(f"/threads/{thread.id}?page=2&language=fr").text
    assert second.count('class="post-body" lang="fr"') == 3
    assert "Réponse 22." in second
    assert not re.search(r"Reply \d+\.", second)


def test_a_filtered_page_is_cached_apart_for_members(client, auth, participant, make_thread, make_post):
    thread = make_thread(body=EN)
    make_post(thread, body=FR)
    auth.login(participant)
    assert FR in client.get(f"/threads/{thread.id}").text
    assert FR not in client.get(f"/threads/{thread.id}?language=en").text
    assert FR in client.get(f"/threads/{thread.id}?language=fr").text
