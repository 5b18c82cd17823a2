"""Security headers on every response (Flask-Talisman), and no caching of signed-in pages."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from academy.extensions import talisman

#: Scripts and styles only from our own files: no inline script can run, so an injected
#: <script> or on*= attribute does nothing (the few values pages pass to scripts travel in
#: <script type="application/json"> blocks, which are data, not code).
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "media-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def init_app(app: Flask) -> None:
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        # Behind nginx the peer is the proxy: take the client's address (throttles and audit
        # logs key on it) and scheme from the last `proxies` hops of X-Forwarded-*. Without
        # proxies configured those headers are ignored, so a client cannot pick its address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    https = app.config["HTTPS"]
    talisman.init_app(
        app,
        # TLS ends at the proxy in production: it redirects; HSTS tells browsers to stay there
        force_https=False,
        strict_transport_security=https,
        strict_transport_security_include_subdomains=False,
        session_cookie_secure=https,
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        permissions_policy={"camera": "()", "microphone": "()", "geolocation": "()"},
    )

    @app.after_request
    def no_store_when_signed_in(response: Response) -> Response:
        # A shared computer's back button or a proxy must not show one person's pages to the
        # next; media already says "private, no-store" itself.
        if current_user.is_authenticated and request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response
