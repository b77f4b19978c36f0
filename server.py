"""The econ HTTP service: `uvicorn server:app`, or `python server.py` for 127.0.0.1:8000.

Routes: POST /graphql (GraphiQL on GET in a browser), GET /health. Start-up applies
pending migrations and, without a broker, starts the in-process Celery worker.
"""

from __future__ import annotations

import logging
import uuid
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from econ.config import get_settings
from econ.db import db, ensure_database, ping
from econ.migrations import apply_all
from econ.plugins import optional_import
from econ.schema import build_schema
from econ.schema.endpoint import GraphQLEndpoint
from econ.worker import EmbeddedWorker, broker_status, ensure_configured

log = logging.getLogger("econ.server")


def _prepare_database() -> None:
    with db.connection_context():
        apply_all(log.info)


@asynccontextmanager
async def lifespan(app: Starlette):
    settings = get_settings()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    ensure_database(settings)
    await run_in_threadpool(_prepare_database)
    ensure_configured()
    worker = EmbeddedWorker(settings.worker_concurrency) if settings.in_process_worker else None
    if worker:
        await run_in_threadpool(worker.__enter__)
    try:
        yield
    finally:
        if worker:
            await run_in_threadpool(worker.__exit__, None, None, None)
        if not db.is_closed():
            db.close()


def _health_check() -> dict:
    checks = {}
    try:
        with db.connection_context():
            ping()
        checks["database"] = "ok"
    except Exception as exc:  # report, never raise: this is the health page
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        checks["broker"] = broker_status()
    except Exception as exc:
        checks["broker"] = f"error: {type(exc).__name__}"
    checks["status"] = "ok" if all(v in ("ok", "in-process") for v in checks.values()) else "error"
    return checks


async def health(request: Request) -> JSONResponse:
    checks = await run_in_threadpool(_health_check)
    return JSONResponse(checks, 200 if checks["status"] == "ok" else 503)


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
            error_id = uuid.uuid4().hex[:12]
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
    ]
    for domain in ("statements", "outcomes"):  # document downloads
        module = optional_import(f"econ.{domain}.http")
        if module is not None:
            routes.extend(module.routes())
    return Starlette(
        debug=False,
        routes=routes,
        lifespan=lifespan,
        middleware=[Middleware(ErrorMaskingMiddleware)],
    )


app = create_app()


def main() -> None:
    import uvicorn

    settings = get_settings()
    uvicorn.run("server:app", host=settings.host, port=settings.port, log_level="info")


if __name__ == "__main__":
    main()
