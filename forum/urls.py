"""Absolute links for what leaves the site (webhook bodies, calendar feeds), never from a request's Host."""

from urllib.parse import urlsplit

from flask import current_app


def public_base():
    """(scheme, host, root path) of the public site: SERVER_NAME, else MAIL_BASE_URL."""
    config = current_app.config
    if config.get("SERVER_NAME"):
        return config.get("PREFERRED_URL_SCHEME") or "http", config["SERVER_NAME"], "/"
    base = urlsplit(config["MAIL_BASE_URL"])
    return base.scheme, base.netloc, base.path or "/"


def public_url(endpoint, **values):
    """The absolute URL of a page, on the public site's address."""
    scheme, host, root = public_base()
    adapter = current_app.url_map.bind(host, script_name=root, url_scheme=scheme)
    return adapter.build(endpoint, values, force_external=True)
