"""Who wrote a post, as one reader may know it: the person, or under Chatham House only a stakeholder badge.

Search results, notifications, revisions and mail get an author only through `byline`, decided here
once with the policy's rule "thread.authors", so a name the reader may not see never reaches their template.
"""

from dataclasses import dataclass

from flask_login import AnonymousUserMixin

from forum.accounts.models import STAKEHOLDER_GROUPS
from forum.policy import allowed


@dataclass(frozen=True)
class Byline:
    """A post's author for one reader: `person` (the user) only when the reader may see who wrote.

    The stakeholder group and country are what Chatham House lets every reader see.
    """

    person: object
    stakeholder_group: str
    country: str | None

    @property
    def group_label(self):
        """The stakeholder group's display name."""
        return STAKEHOLDER_GROUPS.get(self.stakeholder_group, self.stakeholder_group)


def byline(viewer, post):
    """The author of `post` as `viewer` may know them."""
    person = post.author if allowed(viewer, "thread.authors", post.thread) else None
    # The group and country the post was written under, not the author's present ones.
    return Byline(person, post.written_group, post.written_country)


def name_for(viewer, thread, user):
    """`user`'s name when `viewer` may see who wrote in `thread`, else None (also when there is no user)."""
    return user.name if user is not None and allowed(viewer, "thread.authors", thread) else None


def public_byline(post):
    """The author of `post` as every reader may know them: for text others will read, such as a quote."""
    return byline(AnonymousUserMixin(), post)
