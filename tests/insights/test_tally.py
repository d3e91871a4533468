"""The daily tally (forum.insights.tally): figures read from it equal the seeded counts, and stay equal to
a count of the rows themselves after edits, hides, deletions, moves, identity changes, withdrawn votes
and account deletion, before the worker counts the changed days again and after."""

from datetime import date

import pytest
from sqlalchemy import func, select, update

from forum.accounts.models import User
from forum.insights import tally
from forum.insights.models import Tally, TallyMark, TallyState
from forum.insights.queries import Filters
from forum.insights.services import figures
from forum.qa import ballot
from forum.qa.models import QuestionVote
from forum.threads.models import Post, Thread
from tests.insights.test_figures import activity, registrations, rows, voice_share


@pytest.fixture
def counted(world, db):
    """The seeded world, its days (July 2026, long past) counted into the tally."""
    assert tally.recount() > 0
    db.session.commit()
    return world


def _user(db, name):
    """The seeded user called `name`."""
    return db.session.scalar(select(User).where(User.name == name))


def assert_as_the_rows_say(db, world):
    """Whatever the tally holds, every kind's counts equal a count of the rows, under several filters."""
    for filters in (
        Filters(),
        Filters(theme_id=world.ethics.id),
        Filters(theme_id=world.other.id),
        Filters(date_from=date(2026, 7, 7)),
        Filters(date_to=date(2026, 7, 6), theme_id=world.ethics.id),
    ):
        found = tally.counted(filters)
        for kind in tally.COUNTED:
            assert +found[kind] == +tally._live(db.session, kind, filters), (kind, filters)


def test_the_figures_read_from_the_tally_are_the_seeded_counts(counted, db):
    state = db.session.get(TallyState, tally.STATE_ID)
    assert state.counted_until < date.today()
    assert db.session.scalar(select(func.count()).select_from(Tally)) > 0
    tables = figures()
    registrations(tables)
    activity(tables)
    voice_share(tables)
    assert_as_the_rows_say(db, counted)
    # The figures come from the tally's rows: one changed by hand shows.
    academia = (Tally.kind == "posts", Tally.dimension == "group", Tally.key == "academia")
    day_one = (Tally.theme_id == 0, Tally.day == date(2026, 7, 6))
    db.session.execute(update(Tally).where(*academia, *day_one).values(total=Tally.total + 100))
    assert rows(figures(names=("activity_by_group",))["activity_by_group"], ("academia",)) == {
        "academia": [102, 1, 1, 1, 1, 0]
    }


def test_changes_to_counted_days_count_at_once_and_after_the_recount(counted, db, moderator):
    from forum.moderation import actions
    from forum.threads import services as posts

    ke = _user(db, "Kamau Kenyan")
    by_ke = db.session.scalars(select(Post).where(Post.author_id == ke.id).order_by(Post.id)).all()
    actions.hide(moderator, by_ke[0], "Off topic.")
    assert rows(figures(names=("activity_by_group",))["activity_by_group"], ("civil_society",)) == {
        "civil_society": [2, 1, 1, 1, 1, 0]
    }
    posts.edit_post(moderator, by_ke[1], "Audits, again.", language="fr")
    languages = rows(figures(names=("activity_by_language",))["activity_by_language"])
    assert languages["fr"][0] == 1
    posts.delete_post(moderator, by_ke[2])
    second = db.session.scalar(select(Thread).where(Thread.attribution == "chatham"))
    actions.move(moderator, second, counted.ethics)
    ke.country = "FR"  # a vote counts its voter's present country: Kenya's vote moves to WEOG
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(TallyMark)) > 0
    assert_as_the_rows_say(db, counted)
    ethics = figures(Filters(theme_id=counted.ethics.id), names=("activity_by_group",))["activity_by_group"]
    assert rows(ethics, ("academia",))["academia"][0] == 2  # CH's reply in the thread moved to Ethics
    tally.recount()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(TallyMark)) == 0
    assert_as_the_rows_say(db, counted)


def test_a_vote_withdrawn_in_sql_counts_at_once(counted, db):
    ch = _user(db, "Clara Swiss")
    counted.session.qa_state = "open"
    db.session.commit()
    vote = db.session.scalar(select(QuestionVote).where(QuestionVote.user_id == ch.id))
    assert ballot.cast(vote.question_id, ch.id, ch.session_token, False) is not None
    db.session.commit()
    by_group = rows(figures(names=("activity_by_group",))["activity_by_group"], ("academia",))
    assert by_group["academia"][3] == 0
    assert_as_the_rows_say(db, counted)


def test_account_deletion_keeps_the_counts_right(counted, db, admin):
    from forum.privacy import erasure

    ke = _user(db, "Kamau Kenyan")
    erasure.erase_on_request(admin, ke, remove_writing=True)  # its writing becomes an English tombstone
    tables = figures(names=("activity_by_group", "activity_by_language"))
    assert rows(tables["activity_by_group"], ("civil_society",))["civil_society"][:3] == [3, 1, 1]
    assert_as_the_rows_say(db, counted)
    tally.recount()
    db.session.commit()
    assert_as_the_rows_say(db, counted)
