"""The wrapper of every page handler: sign-in redirects, and a 500 page with an error id."""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Awaitable, Callable

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from econ import tracing
from econ.web.pages import SignInRequired, Site

log = logging.getLogger("econ.web")

Handler = Callable[[Request], Awaitable[Response]]


def page(site: Site) -> Callable[[Handler], Handler]:
    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInRequired as failure:
                return site.sign_in_redirect(failure)
            except HTTPException:
                raise
            except Exception:
                trace = tracing.current()
                error_id = trace.request_id if trace else uuid.uuid4().hex[:12]
                log.exception("page error %s on %s", error_id, request.url.path)
                return site.error_page(request, 500, error_id)

        return run

    return wrap


def exception_handlers(site: Site) -> dict:
    """Unknown addresses: the discreet 404 page for browsers, plain text for the API."""

    async def not_found(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 404 and "text/html" in request.headers.get("accept", ""):
            return site.error_page(request, 404)
        return PlainTextResponse(exc.detail or "Not Found", exc.status_code)

    return {404: not_found}
