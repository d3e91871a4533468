"""Entry point for gunicorn (`wsgi:app`) and the flask CLI (`flask --app wsgi`)."""

from forum import create_app
from forum.extensions import socketio

app = create_app()

__all__ = ["app", "socketio"]
