"""The thread the Hub opens for a published contribution is in the contribution's language."""

from forum.threads.models import Post

FRENCH = {
    "title": "Calcul partagé pour les universités africaines",
    "summary": "Mutualiser le temps de calcul des universités publiques d'Afrique de l'Est.",
    "description": "Nous mettons en commun la puissance de calcul de plusieurs universités publiques.",
}


def test_an_english_contribution_opens_an_english_thread(client, make_contribution, db):
    contribution = make_contribution(state="published")
    thread = contribution.thread
    first = db.session.get(Post, thread.first_post_id)
    assert thread.language == "en" and first.language == "en"
    page = client.get(f"/threads/{thread.id}").text
    assert "Unknown language" not in page
    theme_page = client.get(f"/themes/{thread.theme.slug}").text
    assert contribution.title in theme_page and "Unknown language" not in theme_page


def test_a_french_contribution_opens_a_french_thread_whoever_publishes_it(make_contribution, make_user, db):
    reviewer = make_user(role="admin", locale="en")
    contribution = make_contribution(state="published", reviewer=reviewer, **FRENCH)
    first = db.session.get(Post, contribution.thread.first_post_id)
    assert contribution.thread.language == "fr" and first.language == "fr"
    assert "Lire la contribution dans le Pôle de partenariats" in first.body


def test_too_little_text_takes_the_submitters_language(make_contribution, make_user):
    submitter = make_user(locale="es")
    contribution = make_contribution(
        state="published", submitter=submitter, title="IA", summary="IA.", description="IA."
    )
    assert contribution.thread.language == "es"
