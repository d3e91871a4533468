"""The states that more than one package reads, the permission policy among them, and who sees which.

Each state column stores its enum's values, and a CHECK constraint built from the enum keeps it to
them (forum.database.one_of). States only one feature reads are declared in that feature's models.py.
"""

from enum import StrEnum


class AccountStatus(StrEnum):
    """Where a registration stands with the secretariat."""

    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class PostState(StrEnum):
    """A post's life: published at once or held for review, then perhaps hidden, rejected or deleted."""

    PUBLISHED = "published"
    PENDING = "pending"
    HIDDEN = "hidden"
    REJECTED = "rejected"
    DELETED = "deleted"


class ThreadState(StrEnum):
    """A thread follows its opening post (forum.threads.services), which is never hidden as a thread."""

    PUBLISHED = "published"
    PENDING = "pending"
    REJECTED = "rejected"
    DELETED = "deleted"


# Posts and threads every reader sees (a deleted post as a placeholder).
PUBLIC_STATES = (PostState.PUBLISHED, PostState.DELETED)
# Posts and threads out of public sight that their author still sees, with the moderators' reason.
OWN_ONLY_STATES = (PostState.PENDING, PostState.HIDDEN, PostState.REJECTED)
# Posts that may still change in front of a reader: every state but deleted.
LIVE_STATES = (PostState.PUBLISHED, *OWN_ONLY_STATES)


class ContributionState(StrEnum):
    """A Hub contribution, from draft through the secretariat's review to published, or withdrawn."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    RETURNED = "returned"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class TakeawayState(StrEnum):
    """A key takeaway, from draft through review to published."""

    DRAFT = "draft"
    REVIEW = "review"
    PUBLISHED = "published"
