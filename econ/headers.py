"""Security headers on every HTTP response (pure ASGI, so it also covers error responses).

Every response gets a strict Content-Security-Policy (only our own origin, no inline script
or style, never framed), `nosniff`, `no-referrer` and, unless the response chose its own
caching, `Cache-Control: no-store`: API answers and documents carry personal data and must
not be kept by a browser or proxy. Static assets under `CACHEABLE_PREFIXES` may be cached.
A header the application already set is left alone (pages that send `Clear-Site-Data` or
their own `Cache-Control` keep them). HSTS is sent in production only (development runs on
plain HTTP on 127.0.0.1).
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HSTS = "max-age=63072000; includeSubDomains"
NO_STORE = "no-store"
STATIC_CACHE = "public, max-age=86400"
# Assets that hold no personal data; everything else is no-store unless it says otherwise.
CACHEABLE_PREFIXES = ("/static/", "/graphiql/assets/")

_BASE = (
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()"),
)


def security_headers(path: str, production: bool) -> list[tuple[str, str]]:
    """The headers a response to `path` gets unless it already has them (lower-case names)."""
    headers = list(_BASE)
    cacheable = path.startswith(CACHEABLE_PREFIXES)
    headers.append(("cache-control", STATIC_CACHE if cacheable else NO_STORE))
    if production:
        headers.append(("strict-transport-security", HSTS))
    return headers


def _merged(existing: Iterable[tuple[bytes, bytes]], extra: list[tuple[str, str]]) -> list:
    present = {name.lower() for name, _ in existing}
    added = [
        (name.encode("latin-1"), value.encode("latin-1"))
        for name, value in extra
        if name.encode("latin-1") not in present
    ]
    return [*existing, *added]


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, production: bool = False):
        self.app = app
        self.production = production

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(scope.get("path", ""), self.production)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": _merged(message.get("headers", []), extra)}
            await send(message)

        await self.app(scope, receive, send_with_headers)
