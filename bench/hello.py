"""The hello-world baseline: the least a Flask app can do per request, served like the forum."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    """A fixed short text."""
    return "Hello, World!"
