"""Citations: what a pasted link or a ticked box names, whether a drafter may cite it, and how it reads now.

A citation stores a kind and an id, never text: it is read afresh at every render, so it shows the cited
item's current version, and "no longer available" once the item is out of public sight. It is always
rendered as every reader sees the item: a Chatham House post by its stakeholder group and country, an
anonymous question by its group alone, whoever reads (staff included) and wherever (page or export).
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app, request, url_for
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from forum.accounts.attribution import public_byline
from forum.extensions import db
from forum.hub.models import Contribution
from forum.i18n import country_name
from forum.policy import allowed
from forum.qa.models import Question, QuestionState
from forum.rules import RuleViolation
from forum.states import PostState, ThreadState
from forum.synthesis.models import CITATION_KINDS
from forum.threads.models import Post, Thread

EXCERPT_MAX = 240
KEY = re.compile(r"^(post|question|contribution):(\d{1,9})$")
ANCHOR = {"post": re.compile(r"^post-(\d{1,9})$"), "question": re.compile(r"^question-(\d{1,9})$")}


@dataclass(frozen=True)
class Cited:
    """A citation as every reader sees it now; `available` False leaves only its kind and id."""

    kind: str
    target_id: int
    available: bool = False
    title: str = ""
    excerpt: str = ""
    byline: str = ""
    url: str = ""
    language: str | None = None

    @property
    def key(self):
        """ "kind:id"."""
        return f"{self.kind}:{self.target_id}"


def kind_label(kind):
    """The name of a kind of cited item, in the reader's language."""
    return str(CITATION_KINDS[kind])


def parse_key(text):
    """(kind, id) of a "kind:id" value, or None."""
    found = KEY.match(text or "")
    return (found[1], int(found[2])) if found else None


def parse_link(text):
    """(kind, id) named by a link to a post, a thread (its opening post), a Q&A question or a Hub entry.

    Raises RuleViolation when the link is not one of ours or names none of these.
    """
    try:
        parts = urlsplit(text.strip())
    except ValueError:  # e.g. an unclosed IPv6 bracket
        raise RuleViolation(_("This link is not to this site.")) from None
    if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc != request.host):
        raise RuleViolation(_("This link is not to this site."))
    path = parts.path
    if request.script_root and path.startswith(request.script_root):
        path = path[len(request.script_root) :]
    try:
        endpoint, args = current_app.url_map.bind(request.host).match(path or "/", method="GET")
    except (HTTPException, RequestRedirect):
        endpoint, args = None, {}
    anchor = parts.fragment
    if endpoint == "threads.post":
        return "post", args["post_id"]
    if endpoint == "threads.thread":
        found = ANCHOR["post"].match(anchor)
        if found:
            return "post", int(found[1])
        thread = db.session.get(Thread, args["thread_id"])
        if thread is not None and thread.first_post_id:
            return "post", thread.first_post_id
        raise RuleViolation(_("No thread has this address."))
    if endpoint == "qa.session_page" and ANCHOR["question"].match(anchor):
        return "question", int(ANCHOR["question"].match(anchor)[1])
    if endpoint == "hub.detail":
        return "contribution", args["contribution_id"]
    raise RuleViolation(
        _("Paste the link of a post, of a question in a session's Q&A, or of a Partnerships Hub entry.")
    )


def _public_post(post):
    """Whether every reader sees the post's text: published, in a published thread."""
    return post.state == PostState.PUBLISHED and post.thread.state == ThreadState.PUBLISHED


def _public_question(question):
    """Whether every reader sees the question: published (answered ones stay published)."""
    return question.state == QuestionState.PUBLISHED


def _public_contribution(contribution):
    """Whether every reader sees the Hub entry (published, or withdrawn after publication)."""
    return allowed(AnonymousUserMixin(), "contribution.view", contribution)


def check_citable(user, kind, target_id):
    """Refuse (RuleViolation) citing an item that does not exist, that `user` may not see, or not public."""
    if kind == "post":
        post = db.session.get(Post, target_id)
        if post is None:
            raise RuleViolation(_("No post has this address."))
        if not (allowed(user, "post.view", post) and allowed(user, "thread.view", post.thread)):
            raise RuleViolation(_("You may not see this post, so you may not cite it."))
        public = _public_post(post)
    elif kind == "question":
        question = db.session.get(Question, target_id)
        if question is None:
            raise RuleViolation(_("No question has this address."))
        staff = allowed(user, "session.moderate", question.session)
        if not (_public_question(question) or staff or question.author_id == getattr(user, "id", None)):
            raise RuleViolation(_("You may not see this question, so you may not cite it."))
        public = _public_question(question)
    else:
        contribution = db.session.get(Contribution, target_id)
        if contribution is None:
            raise RuleViolation(_("No Hub entry has this address."))
        if not allowed(user, "contribution.view", contribution):
            raise RuleViolation(_("You may not see this Hub entry, so you may not cite it."))
        public = _public_contribution(contribution)
    if not public:
        raise RuleViolation(_("Only what every reader can see may be cited: this item is not public."))


def _excerpt(text):
    """The start of a plain text, cut at a word."""
    text = " ".join((text or "").split())
    if len(text) <= EXCERPT_MAX:
        return text
    return text[:EXCERPT_MAX].rsplit(" ", 1)[0] + "…"


def _post_byline(post):
    """The post's author as every reader may know them: a name on the record, else group and country."""
    byline = public_byline(post)
    if byline.person is not None:
        return byline.person.name
    country = country_name(byline.country) if byline.country else ""
    return ", ".join(part for part in (str(byline.group_label), country) if part)


def _question_byline(question):
    """The asker as every reader may know them: an anonymous question names only the stakeholder group."""
    if question.anonymous:
        return _("Anonymous (%(group)s)", group=question.written_group_label)
    return question.author.name


def _loaded(keys):
    """The cited rows of every kind, each kind in one query: {(kind, id): row}."""
    ids = {kind: [i for k, i in keys if k == kind] for kind in ("post", "question", "contribution")}
    found = {}
    queries = {
        "post": select(Post)
        .options(joinedload(Post.thread), joinedload(Post.author))
        .where(Post.id.in_(ids["post"])),
        "question": select(Question)
        .options(joinedload(Question.session), joinedload(Question.author))
        .where(Question.id.in_(ids["question"])),
        "contribution": select(Contribution).where(Contribution.id.in_(ids["contribution"])),
    }
    for kind, query in queries.items():
        if ids[kind]:
            found.update(((kind, row.id), row) for row in db.session.scalars(query).unique())
    return found


def _cited(kind, target_id, row):
    """One citation as every reader sees it now."""
    if kind == "post" and row is not None and _public_post(row):
        text = Markup(row.body_html).striptags()  # noqa: S704 - sanitized on write, reduced to text here
        return Cited(kind, target_id, True, row.thread.title, _excerpt(text), _post_byline(row),
                     url_for("threads.post", post_id=row.id), row.language)  # fmt: skip
    if kind == "question" and row is not None and _public_question(row):
        url = url_for("qa.session_page", slug=row.session.slug, _anchor=f"question-{row.id}")
        return Cited(kind, target_id, True, str(row.session.title), _excerpt(row.body), _question_byline(row),
                     url, row.language)  # fmt: skip
    if kind == "contribution" and row is not None and _public_contribution(row):
        url = url_for("hub.detail", contribution_id=row.id)
        return Cited(kind, target_id, True, row.title, _excerpt(row.summary), row.lead_organisation, url)
    return Cited(kind, target_id)


def resolve(pairs):
    """[(kind, id)] as every reader sees them now, in order: a list of Cited."""
    pairs = list(pairs)
    rows = _loaded(pairs)
    return [_cited(kind, target_id, rows.get((kind, target_id))) for kind, target_id in pairs]


def resolve_takeaways(takeaways):
    """{takeaway id: [Cited]} for many takeaways, with one query per kind of cited item."""
    pairs = [(c.kind, c.target_id) for takeaway in takeaways for c in takeaway.citations]
    rows = _loaded(pairs)
    return {
        takeaway.id: [
            _cited(c.kind, c.target_id, rows.get((c.kind, c.target_id))) for c in takeaway.citations
        ]
        for takeaway in takeaways
    }
