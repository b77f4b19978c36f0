"""The HTTP service's composition root: every route, the lifespan and the last-resort
error masking. `uvicorn econ.app:app` (or `econ serve`) serves it; `server.py` at the
repository root is a shim for `uvicorn server:app` and `python server.py`.

Routes: POST /graphql (GraphiQL on GET in a browser), GET /health (database, broker,
workers), GET /metrics (Prometheus, behind ECON_METRICS_TOKEN), the document
downloads of statements and outcomes, and the web pages (econ/web, docs/web.md).
Start-up applies pending migrations and, without
a broker, starts the in-process Celery worker.
"""

from __future__ import annotations

import gc
import logging
import uuid
from contextlib import asynccontextmanager

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from econ import tracing
from econ.config import get_settings
from econ.db import db, ensure_database, ping, request_connection
from econ.headers import SecurityHeadersMiddleware
from econ.migrations import apply_all
from econ.operations.http import RequestLogMiddleware
from econ.operations.logs import configure_logging
from econ.operations.metrics import exposition, install_task_metrics, token_accepted
from econ.outcomes import http as outcomes_http
from econ.schema.endpoint import GraphQLEndpoint
from econ.schema.graphiql import ASSET_PREFIX, graphiql_asset
from econ.schema_root import build_schema
from econ.security.filemodes import restrict_files
from econ.statements import http as statements_http
from econ.web import routes as web_routes
from econ.worker import EmbeddedWorker, broker_status, ensure_configured, worker_count

log = logging.getLogger("econ.server")


def _prepare_database() -> None:
    with db.connection_context():
        apply_all(log.info)


@asynccontextmanager
async def lifespan(app: Starlette):
    global _worker
    settings = get_settings()
    configure_logging(settings)
    restrict_files(settings.data_dir)  # before the database or any document is written
    ensure_database(settings)
    await run_in_threadpool(_prepare_database)
    ensure_configured()
    install_task_metrics()
    worker = (
        EmbeddedWorker(settings.worker_concurrency, beat=settings.embedded_beat)
        if settings.in_process_worker
        else None
    )
    if worker:
        await run_in_threadpool(worker.__enter__)
        _worker = worker
    _freeze_startup_objects()
    try:
        yield
    finally:
        gc.unfreeze()
        _worker = None
        if worker:
            await run_in_threadpool(worker.__exit__, None, None, None)
        if not db.is_closed():
            db.close()


_worker: EmbeddedWorker | None = None


def _freeze_startup_objects() -> None:
    """Keep what start-up built (modules, the schema, the documents: about 160,000 objects)
    out of the collector's reach. Otherwise every full collection walks all of it: 50 ms
    with every request of the process stopped, measured under ten counselors' load, the
    largest part of the pages' p99 (docs/performance.md, "The counselor's pages")."""
    gc.collect()  # the garbage of start-up goes now, not frozen for good
    gc.freeze()


def _health_check() -> dict:
    checks = {}
    try:
        with request_connection():
            ping()
        checks["database"] = "ok"
    except Exception as exc:  # report, never raise: this is the health page
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        checks["broker"] = broker_status()
    except Exception as exc:
        checks["broker"] = f"error: {type(exc).__name__}"
    checks["workers"] = _workers_status()
    if not all(checks[k] in ("ok", "in-process") for k in ("database", "broker")):
        checks["status"] = "error"
    else:  # no worker: this host still serves, but background work waits
        checks["status"] = "degraded" if checks["workers"].startswith("error") else "ok"
    return checks


def _workers_status() -> str:
    if get_settings().in_process_worker:
        alive = _worker is not None and _worker.alive()
        return f"in-process: {_worker.concurrency} threads" if alive else "error: not running"
    try:
        answered = worker_count()
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return f"{answered} answered" if answered else "error: no worker answered"


async def health(request: Request) -> JSONResponse:
    """200 when the database and broker answer (status `degraded` if no worker does)."""
    checks = await run_in_threadpool(_health_check)
    return JSONResponse(checks, 503 if checks["status"] == "error" else 200)


async def metrics(request: Request) -> Response:
    """Prometheus exposition, only with `Authorization: Bearer $ECON_METRICS_TOKEN`."""
    settings = get_settings()
    if not settings.metrics_token:
        return PlainTextResponse("Not Found", 404)
    if not token_accepted(settings, request.headers.get("authorization")):
        return PlainTextResponse("Unauthorized", 401, {"WWW-Authenticate": "Bearer"})
    body, content_type = await run_in_threadpool(exposition)
    return Response(body, media_type=content_type)


class ErrorMaskingMiddleware:
    """Last line of defence: an unexpected error becomes a 500 with an id, never a traceback."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            trace = tracing.current()
            error_id = trace.request_id if trace else uuid.uuid4().hex[:12]
            log.exception("unhandled error %s on %s", error_id, scope.get("path"))
            if started:
                raise
            response = JSONResponse(
                {
                    "errors": [
                        {
                            "message": f"internal error (id {error_id})",
                            "extensions": {"code": "INTERNAL", "errorId": error_id},
                        }
                    ]
                },
                500,
            )
            await response(scope, receive, send)


def create_app() -> Starlette:
    settings = get_settings()
    endpoint = GraphQLEndpoint(build_schema().graphql_schema, settings)
    routes = [
        Route("/graphql", endpoint.handle, methods=["GET", "POST"]),
        Route("/health", health, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]
    if settings.introspection:  # GraphiQL's own files, served from installed packages
        routes.append(Route(ASSET_PREFIX + "{name}", graphiql_asset, methods=["GET"]))
    routes += statements_http.routes()  # document downloads
    routes += outcomes_http.routes()
    pages, page_errors = web_routes.build(endpoint, settings)  # the web pages (econ/web)
    routes += pages
    return Starlette(
        debug=False,
        routes=routes,
        exception_handlers=page_errors,
        lifespan=lifespan,
        middleware=[
            # Outermost, so that error responses carry the headers too.
            Middleware(SecurityHeadersMiddleware, production=settings.is_production),
            Middleware(RequestLogMiddleware),
            Middleware(ErrorMaskingMiddleware),
        ],
    )


app = create_app()


def main(host: str | None = None, port: int | None = None, workers: int = 1) -> None:
    """Serve with uvicorn; its own lines go through our (JSON) logging, requests are ours."""
    settings = get_settings()
    configure_logging(settings)
    uvicorn.run(
        "econ.app:app",
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_config=None,
        access_log=False,
    )


if __name__ == "__main__":
    main()
