"""Per-request logging and metrics: one log line per request, a request id on every answer.

The line says method, route (the template, e.g. `/statements/{id}`), status, duration,
outcome and the user id if the request authenticated: never a query string, a body or a
name. A caller's `X-Request-ID` (16-64 letters, digits or dashes) is kept so that a proxy's
log and ours can be matched; otherwise one is made.
"""

from __future__ import annotations

import logging
import re
import time

from econ import tracing
from econ.operations.metrics import REQUEST_SECONDS, REQUESTS

log = logging.getLogger("econ.http")
_GOOD_ID = re.compile(r"^[A-Za-z0-9-]{16,64}$")


def outcome(status: int) -> str:
    return "ok" if status < 400 else "client_error" if status < 500 else "server_error"


class RequestLogMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        trace = tracing.begin(incoming if _GOOD_ID.match(incoming) else None)
        started, status = time.perf_counter(), 500

        async def send_with_id(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", trace.request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", "unmatched")
            REQUESTS.labels(scope["method"], route, str(status)).inc()
            REQUEST_SECONDS.labels(route).observe(seconds)
            log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 1),
                    "outcome": outcome(status),
                },
            )
