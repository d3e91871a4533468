"""The dashboard's daily tally: each kind of activity counted by UTC day, theme, and one dimension at a time
(stakeholder group, UN regional group, language), so that a page reads a few thousand rows instead of
scanning every post (forum.insights.tally).

A day is in the tally only before `TallyState.counted_until` and while no TallyMark names it: the rows
of later days and of marked days are counted from the activity's own tables at every read. Writes of new
activity need nothing (it is recent, hence read live); a change to older activity marks its day
(forum.insights.marks), and the worker counts marked days again and moves `counted_until` on.
"""

from forum.database import UTCDateTime
from forum.extensions import db

# The theme_id of the counts over every theme (a question of two themes counts once there).
EVERY_THEME = 0


class Tally(db.Model):
    """How many of a kind on a day, in a theme (or EVERY_THEME), had this group, region or language."""

    __tablename__ = "insight_tally"

    kind = db.Column(db.String(12), primary_key=True)
    day = db.Column(db.Date, primary_key=True)
    theme_id = db.Column(db.Integer, primary_key=True)
    # "group", "region" or "language"; key "" is none given.
    dimension = db.Column(db.String(8), primary_key=True)
    key = db.Column(db.String(40), primary_key=True)
    total = db.Column(db.Integer, nullable=False)

    __table_args__ = (db.Index("ix_insight_tally_theme_day", "theme_id", "day"),)


class TallyMark(db.Model):
    """A day of a kind whose rows changed after it was counted: read live until counted again."""

    __tablename__ = "insight_tally_mark"

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(12), nullable=False)
    day = db.Column(db.Date, nullable=False)


class TallyState(db.Model):
    """One row: the tally holds the days before `counted_until`, their regions from the table `regions`
    (a digest of forum/data's regional groups: a changed table makes every day live until recounted)."""

    __tablename__ = "insight_tally_state"

    id = db.Column(db.Integer, primary_key=True)
    counted_until = db.Column(db.Date, nullable=False)
    regions = db.Column(db.String(64), nullable=False)
    counted_at = db.Column(UTCDateTime, nullable=False)
