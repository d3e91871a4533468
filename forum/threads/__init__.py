"""Themes, threads and posts."""

from flask import Blueprint

from forum.policy import protect

bp = Blueprint("threads", __name__)
# Who may reach its pages, unless a view declares otherwise (forum.policy).
protect(bp, "read")

from forum.threads import live, posts, routes  # noqa: E402,F401
