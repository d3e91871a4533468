"""The search page: a labelled GET form, results with links and pages, bad filters, members-only sites."""

import re

import pytest
from flask_login import AnonymousUserMixin

from forum.search import services


def test_the_page_has_a_labelled_get_form(client):
    response = client.get("/search")
    assert response.status_code == 200
    page = response.text
    assert '<form method="get"' in page and 'role="search"' in page
    for name, label in (
        ("q", "Search for"),
        ("theme", "Theme"),
        ("kind", "Kind of thread"),
        ("group", "Author's stakeholder group"),
        ("from", "Posted from (Geneva date)"),
        ("to", "Posted until (Geneva date)"),
    ):
        assert f'<label for="{name}">{label}</label>' in page
        assert f'name="{name}"' in page
    assert "Results" not in page


def test_the_page_lists_results_with_links_and_pages(client, participant, make_thread, make_post, make_theme):
    theme = make_theme(slug="ethics", name="Ethics")
    thread = make_thread(author=participant, theme=theme, title="Data trusts", body="Mangroves opening.")
    for n in range(20):
        make_post(thread, author=participant, body=f"Mangroves reply {n}.")
    page = client.get("/search?q=mangroves&theme=ethics").text
    assert page.count('class="snippet"') == 20
    best = services.search(participant, "mangroves", theme="ethics").hits[0].post
    assert f'<a href="/posts/{best.id}" class="thread-title">Data trusts</a>' in page
    assert re.search(r'<p class="snippet"[^>]*><mark>Mangroves</mark> reply', page)
    assert "Ethics" in page and "Geneva time" in page
    assert "Pat Participant" in page
    assert 'href="/search?q=mangroves&amp;theme=ethics&amp;page=2"' in page
    second = client.get("/search?q=mangroves&theme=ethics&page=2").text
    assert second.count('class="snippet"') == 1
    assert 'href="/search?q=mangroves&amp;theme=ethics&amp;page=1"' in second
    assert "Next page" not in second
    assert "No post matches your search." in client.get("/search?q=zzzz").text
    for page_number in ("-3", "0", "abc", "99999999999999999999999"):
        assert client.get(f"/search?q=mangroves&page={page_number}").status_code == 200


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("q=data&from=2026-13-01", "from", "Enter a date as YYYY-MM-DD"),
        ("q=data&to=yesterday", "to", "Enter a date as YYYY-MM-DD"),
        ("q=data&from=2026-07-07&to=2026-07-06", "to", "The end date comes before the start date."),
        ("q=data&kind=rumour", "kind", "Not a valid choice"),
    ],
)
def test_bad_filters_re_show_the_form_with_the_message(
    client, monkeypatch, make_thread, query, field, message
):
    make_thread(body="Data everywhere.")
    monkeypatch.setattr(
        services, "search", lambda *args, **kwargs: pytest.fail("searched despite bad filters")
    )
    response = client.get(f"/search?{query}")
    assert response.status_code == 422
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', response.text)
    assert error and message in error.group(1)
    assert 'class="snippet"' not in response.text and "Results" not in response.text


def test_words_without_letters_ask_for_a_word(client):
    response = client.get("/search?q=%22+*+-")
    assert response.status_code == 200
    assert "Enter at least one word to look for." in response.text


class TestMembersOnlySite:
    """With PUBLIC_READ off, search is for signed-in members, like every other read page."""

    @pytest.fixture
    def config_overrides(self):
        """A members-only site."""
        return {"PUBLIC_READ": False}

    def test_anonymous_visitors_are_sent_to_sign_in(self, client, auth, participant, make_thread):
        make_thread(body="Members only musings.")
        response = client.get("/search?q=musings")
        assert response.status_code == 302 and "/login" in response.headers["Location"]
        assert services.search(AnonymousUserMixin(), "musings").hits == []
        auth.login(participant)
        assert "<mark>musings</mark>" in client.get("/search?q=musings").text
