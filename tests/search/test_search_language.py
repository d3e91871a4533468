"""Search filtered by the language posts are written in."""

from forum.search import services

ES = "La UNESCO apoya los datos abiertos en todos los países de la región."
EN = "UNESCO supports open data for every country in the region and beyond."


def test_search_keeps_the_posts_in_the_chosen_language(client, participant, make_thread, make_post):
    thread = make_thread(body=EN)
    make_post(thread, body=ES)
    assert len(services.search(participant, "UNESCO").hits) == 2
    spanish = services.search(participant, "UNESCO", language="es").hits
    assert [hit.post.body for hit in spanish] == [ES]
    page = client.get("/search?q=UNESCO&language=en").text
    assert "open data for every country" in page and "datos abiertos" not in page
    assert '<p class="snippet" lang="en" dir="ltr">' in page
    assert '<label for="language">Language</label>' in page
