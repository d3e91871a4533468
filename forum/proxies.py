"""Believing X-Forwarded-* headers only from the configured proxies (TRUSTED_PROXIES, FORWARDED_ALLOW_IPS).

ProxyFix with a count believes the last N addresses of X-Forwarded-For whoever sends them: a client that
reached an app port directly chose the address the rate limits counted (issue 25). Here the headers are
used only when the connection comes from one of the proxies' addresses; from anywhere else they are
dropped, so a request is taken at the address it came from.
"""

import ipaddress

from werkzeug.middleware.proxy_fix import ProxyFix

# What a proxy says about the client; nothing downstream may read them from an untrusted peer.
FORWARDED = (
    "HTTP_FORWARDED",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PREFIX",
    # The request's id in the proxy's log, taken up by the app's (forum.logging_setup).
    "HTTP_X_REQUEST_ID",
)


def parse_hops(value):
    """TRUSTED_PROXIES as a number of proxies; raises RuntimeError with the fix when it is not one."""
    try:
        hops = int(str(value).strip() or 0)
    except ValueError:
        hops = -1
    if hops < 0:
        raise RuntimeError(
            f"TRUSTED_PROXIES={value!r} should be the number of proxies in front of the app (0, or 1 for "
            "one nginx); their addresses go in FORWARDED_ALLOW_IPS."
        )
    return hops


def parse_networks(value):
    """FORWARDED_ALLOW_IPS as networks (None for '*': every peer); raises RuntimeError when malformed."""
    items = [item.strip() for item in str(value or "").split(",") if item.strip()]
    if "*" in items:
        return None
    networks = []
    for item in items:
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise RuntimeError(
                f"FORWARDED_ALLOW_IPS: {item!r} is not an address or network (e.g. 127.0.0.1, 10.0.0.0/24)."
            ) from None
    return networks


class TrustedProxies:
    """WSGI middleware: ProxyFix for requests from the proxies, the headers dropped for any other."""

    def __init__(self, wsgi_app, hops, networks):
        """Wrap `wsgi_app`, believing `hops` proxies when the peer is in `networks` (None: any peer)."""
        self.wsgi_app = wsgi_app
        self.fixed = ProxyFix(wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
        self.networks = networks

    def trusted(self, address):
        """Whether the peer at `address` is one of the proxies."""
        if self.networks is None:
            return True
        try:
            peer = ipaddress.ip_address(address or "")
        except ValueError:  # a Unix socket peer has no address: not a configured proxy
            return False
        return any(peer in network for network in self.networks)

    def __call__(self, environ, start_response):
        """Serve the request, believing its forwarded headers only when a proxy sent it."""
        if self.trusted(environ.get("REMOTE_ADDR")):
            return self.fixed(environ, start_response)
        for header in FORWARDED:
            environ.pop(header, None)
        return self.wsgi_app(environ, start_response)


def init_app(app):
    """Put the middleware in front of the app when it runs behind proxies (TRUSTED_PROXIES > 0)."""
    hops = parse_hops(app.config.get("TRUSTED_PROXIES", 0))
    networks = parse_networks(app.config.get("FORWARDED_ALLOW_IPS"))
    if hops:
        app.wsgi_app = TrustedProxies(app.wsgi_app, hops, networks)
