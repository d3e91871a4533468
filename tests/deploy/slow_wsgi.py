"""The forum's WSGI app, slowed down on request, so that simultaneous requests overlap at a proxy."""

import time
from urllib.parse import parse_qs

from wsgi import app as forum


def app(environ, start_response):
    """The forum; a request with ?slow=<seconds> first waits that long, as a long render would."""
    delay = parse_qs(environ.get("QUERY_STRING", "")).get("slow")
    if delay:
        time.sleep(float(delay[0]))
    return forum(environ, start_response)
