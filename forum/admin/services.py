"""Secretariat queries: the registration list with its filters."""

from sqlalchemy import or_, select

from forum.accounts.models import User

PAGE_SIZE = 50


def registrations_query(status="pending", group="", country="", text=""):
    """Users filtered by status, stakeholder group, country and a name/email/organisation search."""
    query = select(User).order_by(User.created_at.desc(), User.id.desc())
    if status:
        query = query.where(User.status == status)
    if group:
        query = query.where(User.stakeholder_group == group)
    if country:
        query = query.where(User.country == country)
    if text:
        like = f"%{text.strip()}%"
        query = query.where(or_(User.name.ilike(like), User.email.ilike(like), User.organisation.ilike(like)))
    return query
