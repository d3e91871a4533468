"""The API's shapes, as marshmallow schemas: they check what comes in, shape what goes out and make
the OpenAPI document (forum.api.spec), so the three cannot drift apart."""

from marshmallow import RAISE, Schema, fields, validate

from forum.api.models import SCOPES
from forum.languages import CONTENT_LANGUAGES
from forum.moderation.models import FLAG_REASONS, REASON_MAX
from forum.qa.models import QUESTION_MAX
from forum.threads.models import BODY_MAX

# A page's cursor: the id (or place) of the last item of the page before; opaque to clients.
CURSOR = validate.Regexp(r"^[1-9][0-9]{0,8}$")
LANGUAGE = validate.OneOf(sorted(CONTENT_LANGUAGES))


class PageArgs(Schema):
    """Which page of a list: after `cursor`, at most `limit` items."""

    cursor = fields.String(validate=CURSOR, metadata={"description": "next_cursor of the page before"})
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100))


class ThreadArgs(PageArgs):
    """The thread list's filters."""

    theme = fields.String(validate=validate.Length(1, 80), metadata={"description": "a theme's slug"})
    language = fields.String(validate=LANGUAGE)


class QuestionArgs(PageArgs):
    """The question list's filter."""

    language = fields.String(validate=LANGUAGE)


class Page(Schema):
    """A page of a list; `next_cursor` is null on the last page."""

    next_cursor = fields.String(required=True, allow_none=True)


def page_of(item_schema, name):
    """The schema of a page of `item_schema` items."""
    return type(name, (Page,), {"items": fields.List(fields.Nested(item_schema), required=True)})


class Person(Schema):
    """Who wrote or asked, for readers who may know: absent under the Chatham House Rule or anonymity."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    handle = fields.String(required=True)


class Theme(Schema):
    """A theme of the Dialogue."""

    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)


class Thread(Schema):
    """A thread; `author` is null where the reader may not know who wrote (Chatham House)."""

    id = fields.Integer(required=True)
    theme = fields.String(required=True, metadata={"description": "the theme's slug"})
    title = fields.String(required=True)
    kind = fields.String(required=True)
    attribution = fields.String(required=True, validate=validate.OneOf(["record", "chatham"]))
    state = fields.String(required=True)
    locked = fields.Boolean(required=True)
    pinned = fields.Boolean(required=True)
    language = fields.String(required=True, allow_none=True)
    tags = fields.List(fields.String(), required=True)
    reply_count = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    last_activity_at = fields.DateTime(required=True)
    author = fields.Nested(Person, required=True, allow_none=True)


class Post(Schema):
    """A post; a deleted one keeps only its place (no text, no author) for readers who are not staff."""

    id = fields.Integer(required=True)
    thread_id = fields.Integer(required=True)
    state = fields.String(required=True)
    reply_to_id = fields.Integer(required=True, allow_none=True)
    body_html = fields.String(required=True, allow_none=True)
    language = fields.String(required=True, allow_none=True)
    created_at = fields.DateTime(required=True)
    edited_at = fields.DateTime(required=True, allow_none=True)
    endorsement_count = fields.Integer(required=True)
    stakeholder_group = fields.String(required=True, allow_none=True)
    country = fields.String(required=True, allow_none=True)
    author = fields.Nested(Person, required=True, allow_none=True)


class Session(Schema):
    """A session of the programme, with the state of its Q&A."""

    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    room = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    speakers = fields.List(fields.String(), required=True)
    chairs = fields.List(fields.String(), required=True)
    qa_state = fields.String(required=True)
    moderation_mode = fields.String(required=True)
    highlighted_question_id = fields.Integer(required=True, allow_none=True)


class Question(Schema):
    """A question; an anonymous one names no asker and no country to participants and visitors."""

    id = fields.Integer(required=True)
    session_id = fields.Integer(required=True)
    body = fields.String(required=True)
    language = fields.String(required=True, allow_none=True)
    state = fields.String(required=True)
    anonymous = fields.Boolean(required=True)
    votes = fields.Integer(required=True)
    answered = fields.Boolean(required=True)
    edited = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)
    stakeholder_group = fields.String(required=True)
    country = fields.String(required=True, allow_none=True)
    asker = fields.Nested(Person, required=True, allow_none=True)


class Speaker(Schema):
    """An approved or delivered statement on a session's speakers' list, in the order of the floor."""

    position = fields.Integer(required=True)
    on_behalf_of = fields.String(required=True)
    language = fields.String(required=True)
    minutes = fields.Integer(required=True)
    state = fields.String(required=True)
    has_floor = fields.Boolean(required=True)


class Contribution(Schema):
    """A published Partnerships Hub contribution (its contact address is on the site's page only)."""

    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    description_html = fields.String(required=True)
    lead_organisation = fields.String(required=True)
    partners = fields.List(fields.String(), required=True)
    stakeholder_groups = fields.List(fields.String(), required=True)
    areas = fields.List(fields.String(), required=True)
    themes = fields.List(fields.String(), required=True)
    links = fields.List(fields.String(), required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True, allow_none=True)
    progress_status = fields.String(required=True)
    state = fields.String(required=True)
    published_at = fields.DateTime(required=True, allow_none=True)
    thread_id = fields.Integer(required=True, allow_none=True)


class Me(Schema):
    """The token's user and scope."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    handle = fields.String(required=True)
    role = fields.String(required=True)
    status = fields.String(required=True)
    scope = fields.String(required=True, validate=validate.OneOf(list(SCOPES)))


class Strict(Schema):
    """A request body: unknown fields are refused."""

    class Meta:
        unknown = RAISE


class NewPost(Strict):
    """A reply: Markdown text, optionally answering a post of the thread, in a chosen language."""

    body = fields.String(required=True, validate=validate.Length(1, BODY_MAX))
    reply_to = fields.Integer(validate=validate.Range(1, 2**31 - 1))
    language = fields.String(validate=LANGUAGE)


class NewQuestion(Strict):
    """A question, asked under one's name or anonymously."""

    body = fields.String(required=True, validate=validate.Length(1, QUESTION_MAX))
    anonymous = fields.Boolean(load_default=False)
    language = fields.String(validate=LANGUAGE)


class NewFlag(Strict):
    """A report of a post to the moderators; "other" needs a note."""

    reason = fields.String(required=True, validate=validate.OneOf(list(FLAG_REASONS)))
    note = fields.String(load_default="", validate=validate.Length(max=REASON_MAX))


class Vote(Schema):
    """A question's vote count after the caller's vote."""

    question_id = fields.Integer(required=True)
    votes = fields.Integer(required=True)
    voted = fields.Boolean(required=True)


class Flagged(Schema):
    """The flag was recorded."""

    post_id = fields.Integer(required=True)
    reason = fields.String(required=True)


class ProblemDetails(Schema):
    """An error (RFC 9457); `code` names our reason, `field` the input it concerns, `errors` each field's."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    code = fields.String()
    field = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.Raw())


ThreadPage = page_of(Thread, "ThreadPage")
PostPage = page_of(Post, "PostPage")
ThemePage = page_of(Theme, "ThemePage")
SessionPage = page_of(Session, "SessionPage")
QuestionPage = page_of(Question, "QuestionPage")
SpeakerPage = page_of(Speaker, "SpeakerPage")
ContributionPage = page_of(Contribution, "ContributionPage")
