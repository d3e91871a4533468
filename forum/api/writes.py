"""Acting through the API with a write token: reply, ask, vote and flag, through the pages' services.

The services apply the rules (policy, slow mode, silences, screening, open Q&A); what they refuse is
answered as a problem with the same reason the page would give.
"""

from flask import abort, request
from flask_login import current_user

from forum.api import bp, present, schemas
from forum.api.auth import writes
from forum.api.io import answer, body
from forum.api.problems import refused
from forum.api.reads import visible_session, visible_thread
from forum.api.spec import operation
from forum.extensions import db
from forum.moderation import flags
from forum.policy import allowed, requires
from forum.qa import questions as qa_questions
from forum.qa import votes
from forum.qa.models import Question
from forum.rules import RuleViolation
from forum.threads import services as threads
from forum.threads.models import Post


@bp.route("/threads/<int:thread_id>/posts", methods=["POST"])
@requires("signed_in")
@writes
@operation("Reply to a thread", schemas.Post, body=schemas.NewPost, status=201)
def reply(thread_id):
    """Post a reply: published, or held for review as screening decides (its state says which)."""
    found = visible_thread(thread_id)
    data = body(schemas.NewPost)
    target = db.session.get(Post, data["reply_to"]) if data.get("reply_to") else None
    if data.get("reply_to") and target is None:
        refused(RuleViolation("The post you answer is not in this thread.", field="reply_to"))
    try:
        created = threads.reply(current_user, found, data["body"], target, data.get("language"))
    except RuleViolation as error:
        refused(error)
    return answer(schemas.Post, present.post(current_user, created), 201)


@bp.route("/sessions/<slug>/questions", methods=["POST"])
@requires("signed_in")
@writes
@operation("Ask a question in a session's Q&A", schemas.Question, body=schemas.NewQuestion, status=201)
def ask(slug):
    """Ask a question; it waits for approval in a pre-moderated session (its state says so)."""
    found = visible_session(slug)
    data = body(schemas.NewQuestion)
    try:
        created = qa_questions.ask(current_user, found, data["body"], data["anonymous"], data.get("language"))
    except RuleViolation as error:
        refused(error)
    # The asker always knows it is theirs; whether others may is the question's own business.
    return answer(schemas.Question, present.question(created, True), 201)


@bp.route("/questions/<int:question_id>/vote", methods=["POST", "DELETE"])
@requires("signed_in")
@writes
@operation("Upvote a question (POST) or withdraw the vote (DELETE)", schemas.Vote)
def vote(question_id):
    """Add or withdraw the caller's vote; the count after it."""
    question = db.session.get(Question, question_id) or abort(404)
    adding = request.method == "POST"
    try:
        count = qa_questions.set_vote(current_user, question.id, adding)
    except RuleViolation as error:
        refused(error)
    votes.store_now(question.id)
    return answer(schemas.Vote, {"question_id": question.id, "votes": count, "voted": adding})


@bp.route("/posts/<int:post_id>/flags", methods=["POST"])
@requires("signed_in")
@writes
@operation("Flag a post to the moderators", schemas.Flagged, body=schemas.NewFlag, status=201)
def flag(post_id):
    """Report a post once; enough reports hide it until a moderator decides."""
    found = db.session.get(Post, post_id)
    if found is None or not allowed(current_user, "post.view", found):
        abort(404)
    visible_thread(found.thread_id)
    data = body(schemas.NewFlag)
    try:
        flags.flag_post(current_user, found, data["reason"], data["note"])
    except RuleViolation as error:
        refused(error)
    return answer(schemas.Flagged, {"post_id": found.id, "reason": data["reason"]}, 201)
