"""Full-text search over thread titles and published posts: one API, SQLite FTS5 or PostgreSQL underneath.

The user's text is parsed here into words, "phrases" and -exclusions, then written out in each
database's syntax with every term quoted, so no input can reach the match syntax as an operator.
"""

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import partial

from markupsafe import Markup
from sqlalchemy import Integer, and_, any_, bindparam, column, func, literal, literal_column, select, table
from sqlalchemy.dialects.postgresql import ARRAY, REAL, REGCONFIG
from sqlalchemy.orm import joinedload

from forum.accounts.attribution import Byline, byline
from forum.extensions import db
from forum.i18n import dialogue_zone
from forum.policy import allowed
from forum.search.schema import INDEX_TABLE, SEARCH_CONFIG
from forum.search.snippets import highlight, markers
from forum.states import PostState, ThreadState
from forum.threads.models import Post, Theme, Thread

PAGE_SIZE = 20
# Deeper pages are never useful, and a huge number in the URL would overflow OFFSET.
MAX_PAGE = 500
# Longer input is cut: a pasted paragraph still searches, without building a huge query.
MAX_QUERY = 200
MAX_TERMS = 12
# Joining every match to its post and thread, then sorting them all, made common words slow. The index
# ranks its matches alone and hands over a window of the best, this many per hit the page needs; only
# those are checked for visibility and filters (see _ranked_ids).
WINDOW_PER_HIT = 4
# A filter keeps roughly one post in this many (one theme of seven, one stakeholder group of six): each
# widens the first window as much, since checking more candidates costs far less than ranking again.
FILTER_SHARE = 6
# Windows hold at most this many candidates; past it, the database ranks and checks every match at once.
MAX_WINDOW = 5_000
# A "phrase" (closing quote optional) or a run of other characters; either may start with - to exclude.
UNIT = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
# PostgreSQL refuses NUL in text; other control characters only separate words anyway.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Both tokenizers split on everything but letters and digits: a term without one would match nothing.
HAS_WORD = re.compile(r"[^\W_]")
SNIPPET_WORDS = 24


@dataclass(frozen=True)
class Terms:
    """What to look for: words or phrases that must all appear, and ones that must not."""

    include: tuple[str, ...]
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    """A found post, its thread, a highlighted snippet (safe HTML), its author as the searcher knows them."""

    post: Post
    thread: Thread
    snippet: Markup
    author: Byline


@dataclass(frozen=True)
class Results:
    """A page of hits."""

    hits: list
    page: int = 1
    has_next: bool = False

    @property
    def has_prev(self):
        """Whether an earlier page exists."""
        return self.page > 1

    @property
    def first_number(self):
        """The rank of the page's first hit among all hits, for a numbered list."""
        return (self.page - 1) * PAGE_SIZE + 1


def parse(text):
    """The Terms in a user's query, or None when it holds nothing to search for."""
    include, exclude = [], []
    for match in UNIT.finditer(CONTROL.sub(" ", (text or "")[:MAX_QUERY])):
        excluded = bool(match.group(1) or match.group(3))
        term = " ".join((match.group(2) if match.group(2) is not None else match.group(4)).split())
        if HAS_WORD.search(term) and len(include) + len(exclude) < MAX_TERMS:
            (exclude if excluded else include).append(term)
    # Exclusions alone would list nearly every post.
    return Terms(tuple(include), tuple(exclude)) if include else None


class Fts5:
    """SQLite: the FTS5 table post_search (title, body), keyed by the post's id as rowid."""

    index = table(INDEX_TABLE, column("rowid"))
    key = index.c.rowid
    name = literal_column(INDEX_TABLE)

    def __init__(self, terms):
        """Write `terms` in FTS5 syntax, each a quoted string (parse() leaves no double quote inside one)."""
        found = " AND ".join(f'"{term}"' for term in terms.include)
        self.expression = f"({found})" + "".join(f' NOT "{term}"' for term in terms.exclude)

    def matches(self):
        """The MATCH condition."""
        return self.name.op("MATCH")(bindparam("fts_query", self.expression))

    def score(self):
        """Lower is better: bm25 is negative; a title word weighs twice a body word."""
        return func.bm25(self.name, 2.0, 1.0)

    def among(self, ids):
        """The condition that a post is one of `ids`, which travel as one JSON parameter, however many."""
        listed = func.json_each(bindparam("candidates", json.dumps(ids))).table_valued("value")
        return Post.id.in_(select(listed.c.value))

    def snippets(self, ids, start, stop):
        """{post id: the best passage of its body with `start`/`stop` around the matched terms}."""
        snippet = func.snippet(self.name, 1, start, stop, "…", SNIPPET_WORDS)
        query = select(self.key, snippet).select_from(self.index).where(self.matches(), self.key.in_(ids))
        return dict(db.session.execute(query).all())


class Postgres:
    """PostgreSQL: the table post_search (post_id, document tsvector) with a GIN index on document."""

    index = table(INDEX_TABLE, column("post_id"), column("document"))
    key = index.c.post_id
    config = literal(SEARCH_CONFIG, REGCONFIG)

    def __init__(self, terms):
        """Write `terms` for websearch_to_tsquery, each in double quotes so none is read as an operator."""
        wanted = [f'"{t}"' for t in terms.include]
        self.expression = " ".join([*wanted, *(f'-"{t}"' for t in terms.exclude)])
        self.tsquery = func.websearch_to_tsquery(self.config, bindparam("ts_query", self.expression))
        # What to rank by: the wanted terms alone. ts_rank gives every match of 'a' & !'b' the same tiny
        # rank, and the excluded terms are absent from every match anyway.
        self.rank_query = func.websearch_to_tsquery(self.config, bindparam("ts_rank_query", " ".join(wanted)))

    def matches(self):
        """The @@ condition, which the GIN index serves."""
        return self.index.c.document.bool_op("@@")(self.tsquery)

    def score(self):
        """Lower is better: the rank negated; title words weigh more (A over B), long documents less."""
        # ts_rank rather than ts_rank_cd, divided by 1 + log2 of the distinct words (16) rather than of all
        # words (1): computed on each of up to tens of thousands of matches, it reads only the query's
        # entries and the vector's header, where ts_rank_cd and 1 walk the document's positions.
        return -func.ts_rank(self.index.c.document, self.rank_query, 16, type_=REAL)

    def among(self, ids):
        """The condition that a post is one of `ids`, which travel as one array parameter, however many."""
        return Post.id == any_(bindparam("candidates", ids, type_=ARRAY(Integer)))

    def snippets(self, ids, start, stop):
        """{post id: up to two passages of its body with `start`/`stop` around the matched terms}."""
        # ShortWord=1: the default (3) trims words like "AI" or "19" from the ends of each passage.
        options = (
            f'StartSel="{start}", StopSel="{stop}", MaxWords={SNIPPET_WORDS}, MinWords=12, ShortWord=1, '
            'MaxFragments=2, FragmentDelimiter=" … "'
        )
        headline = func.ts_headline(self.config, Post.body, self.tsquery, options)
        return dict(db.session.execute(select(Post.id, headline).where(Post.id.in_(ids))).all())


def _backend(terms):
    """The index of the database in use, set to look for `terms`."""
    return (Fts5 if db.session.get_bind().dialect.name == "sqlite" else Postgres)(terms)


def _geneva_midnight(day):
    """The instant, in UTC, at which `day` begins in Geneva."""
    zone = dialogue_zone()
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def _visible(query, theme, kind, group, date_from, date_to, language=None):
    """`query` over posts, kept to published posts of published threads that pass the filters."""
    # Conditions on the thread are EXISTS subqueries, not joins: SQLite without statistics
    # might otherwise loop over every published thread and look up each candidate post in it.
    thread = [Thread.state == ThreadState.PUBLISHED]
    if theme:
        thread.append(Thread.theme_id == select(Theme.id).where(Theme.slug == theme).scalar_subquery())
    if kind:
        thread.append(Thread.kind == kind)
    query = query.where(Post.state == PostState.PUBLISHED, Post.thread.has(and_(*thread)))
    if group:
        # Under Chatham House the group stays visible, so filtering by it reveals nothing more. It is the
        # group the post was written under, the one its badge shows.
        query = query.where(Post.written_group == group)
    if language:
        query = query.where(Post.language == language)
    if date_from:
        query = query.where(Post.created_at >= _geneva_midnight(date_from))
    if date_to:
        query = query.where(Post.created_at < _geneva_midnight(date_to + timedelta(days=1)))
    return query


def _ranked_ids(backend, visible, offset, count, window):
    """Ids of the `count` visible matches after the first `offset`, best match then newest first."""
    score = backend.score().label("score")
    ranked = select(backend.key.label("id"), score).select_from(backend.index).where(backend.matches())
    wanted = offset + count
    # The first window, then at most one wider: each costs a ranking of every match, as the last resort does.
    for _ in range(2):
        if window > MAX_WINDOW:
            break
        candidates = db.session.execute(ranked.order_by(score).limit(window)).all()
        complete = len(candidates) < window
        # A full window may have cut through posts of its worst score, but holds every match scoring
        # better: the visible ones among those are exactly the first hits of the full ranking.
        scores = {key: value for key, value in candidates if complete or value < candidates[-1].score}
        ids = []
        if scores:
            query = visible(select(Post.id).where(backend.among(list(scores))))
            ids = db.session.scalars(query.order_by(Post.created_at.desc(), Post.id.desc())).all()
            # A stable sort: posts of equal score stay newest first.
            ids.sort(key=scores.__getitem__)
        if complete or len(ids) >= wanted:
            return ids[offset : offset + count]
        if not ids:
            break
        # Twice as wide as the share of visible posts seen so far predicts is needed.
        window = max(2 * window, -(-2 * wanted * len(scores) // len(ids)))
    scored = ranked.subquery()
    query = (
        visible(select(Post.id).join(scored, scored.c.id == Post.id))
        .order_by(scored.c.score, Post.created_at.desc(), Post.id.desc())
        .offset(offset)
        .limit(count)
    )
    return db.session.scalars(query).all()


def search(
    viewer, text, theme=None, kind=None, group=None, date_from=None, date_to=None, page=1, language=None
):
    """A page of published posts matching `text` under the filters, best match then newest first.

    `theme` is a slug, `kind` a thread kind, `group` the author's stakeholder group, `language` the
    post's language; `date_from` and `date_to` are Geneva dates, both included.
    """
    page = min(max(1, page), MAX_PAGE)
    terms = parse(text)
    if terms is None or not allowed(viewer, "read"):
        return Results([], page)
    backend = _backend(terms)
    visible = partial(
        _visible, theme=theme, kind=kind, group=group, date_from=date_from, date_to=date_to, language=language
    )
    offset, count = (page - 1) * PAGE_SIZE, PAGE_SIZE + 1
    filters = sum(map(bool, (theme, kind, group, language, date_from or date_to)))
    window = (offset + count) * WINDOW_PER_HIT * FILTER_SHARE**filters
    ids = _ranked_ids(backend, visible, offset, count, window)
    ids, has_next = ids[:PAGE_SIZE], len(ids) > PAGE_SIZE
    if not ids:
        return Results([], page)
    # Visibility again, for a post hidden since; one query for the posts, their threads, themes and authors.
    query = visible(select(Post).where(Post.id.in_(ids))).options(
        joinedload(Post.thread).joinedload(Thread.theme), joinedload(Post.author)
    )
    found = {post.id: post for post in db.session.scalars(query)}
    posts = [found[key] for key in ids if key in found]
    if not posts:
        return Results([], page)
    start, stop = markers(post.body for post in posts)
    snippets = backend.snippets([post.id for post in posts], start, stop)
    hits = [
        Hit(
            post,
            post.thread,
            highlight(snippets.get(post.id), start, stop),
            byline(viewer, post),
        )
        for post in posts
    ]
    return Results(hits, page, has_next)


def themes():
    """Themes in their display order, for the filter."""
    return db.session.scalars(select(Theme).order_by(Theme.position, Theme.id)).all()
