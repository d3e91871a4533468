"""Security headers with a fixed CSP, safe redirect targets, and the same-origin proof of a tokenless form."""

from urllib.parse import urlsplit

from flask import request

# Every script and style sheet is a file of ours: no nonce, so that identical requests get identical bytes
# (a shared cache may keep anonymous pages; docs/design.md section 8).
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def is_safe_next(target):
    """True for a same-site path such as /threads/3, never for //host, a scheme or a backslash."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and not any(ord(c) < 32 for c in target)


def sent_from_our_pages():
    """True when the browser says that this request comes from one of our own pages.

    Fetch Metadata first (every current browser sends it), else the Origin header, else the Referer
    (our Referrer-Policy keeps it for same-origin requests); a request that proves nothing is refused.
    Hosts are compared without the scheme: behind a proxy that ends TLS the app may see http.
    """
    site = request.headers.get("Sec-Fetch-Site")
    if site:
        return site == "same-origin"
    source = request.headers.get("Origin") or request.headers.get("Referer")
    return bool(source) and urlsplit(source).netloc == request.host


def init_app(app):
    """Add the security headers to every response."""

    @app.after_request
    def _headers(response):
        """Set CSP, framing, sniffing and referrer rules on every response."""
        headers = response.headers
        headers.setdefault("Content-Security-Policy", POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("HSTS"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
