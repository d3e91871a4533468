"""A published contribution's notice names it once: the link to its thread carries the title."""

import re

from tests.conftest import Auth


def test_a_published_contribution_is_named_once(client, make_contribution, make_user):
    submitter = make_user()
    contribution = make_contribution(state="published", submitter=submitter)
    Auth(client).login(submitter)
    page = client.get("/notifications").text
    (item,) = re.findall(r'<li class="notification[^"]*">.*?</li>', page, re.DOTALL)
    assert "The secretariat published your Partnerships Hub contribution" in item
    assert item.count(contribution.title) == 1
    assert f'href="/posts/{contribution.thread.first_post_id}"' in item


def test_a_returned_contribution_still_names_itself_with_the_reason(client, make_contribution, make_user):
    submitter = make_user()
    make_contribution(state="returned", submitter=submitter)
    Auth(client).login(submitter)
    page = client.get("/notifications").text
    assert "Open compute for African universities: Needs dates." in page
