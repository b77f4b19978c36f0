"""The /graphql endpoint: POST runs an operation, GET shows GraphiQL to a browser.

Each operation runs in a worker thread on a connection of its own and, when a resolver
awaits (aiodataloader batches per loop tick), on that thread's event loop, made once and
kept: creating a loop per request cost more than a small query (docs/performance.md). The
server's event loop never waits on the database.

Only `application/json` bodies are executed: a form or `text/plain` POST (which a page on
another site can send without a preflight) is refused with 415. Text that cannot be stored
(NUL, unpaired surrogates) anywhere in the request is a 400, as is a document that fails
validation, exceeds the cost limit (econ/schema/cost.py) or whose variables do not coerce.
Requests without a valid session are rate-limited per client address.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from typing import Any

from graphql import ExecutionResult, GraphQLSchema, execute
from graphql.pyutils import is_awaitable as isawaitable
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from econ import tracing
from econ.bounds import first_text_problem
from econ.config import Settings
from econ.db import request_connection
from econ.errors import CommonCode
from econ.lanes import Lanes
from econ.schema.context import RequestContext
from econ.schema.cost import cost_errors
from econ.schema.errors import format_error
from econ.schema.execution import LeanExecutionContext
from econ.schema.graphiql import GRAPHIQL_HTML
from econ.schema.validation import DocumentCache, without_suggestions
from econ.security import ratelimit
from econ.security.services import actor_for, session_user

log = logging.getLogger("econ.graphql")
_thread = threading.local()


def _thread_loop() -> asyncio.AbstractEventLoop:
    """This worker thread's event loop, made on first use and kept; it is the thread's
    current loop, so a loader a resolver makes before the loop runs binds to it."""
    loop = getattr(_thread, "loop", None)
    if loop is None or loop.is_closed():
        loop = _thread.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
    return loop


def run_on_thread_loop(awaitable) -> Any:
    """Run `awaitable` to completion on this thread's event loop.

    Anything the operation left scheduled (a resolver's task after a sibling failed) is
    cancelled, so nothing of one request runs during the next one.
    """
    loop = _thread_loop()
    try:
        return loop.run_until_complete(awaitable)
    finally:
        leftovers = asyncio.all_tasks(loop)
        for task in leftovers:
            task.cancel()
        if leftovers:
            loop.run_until_complete(asyncio.gather(*leftovers, return_exceptions=True))


def _error(message: str, status: int, code: str = CommonCode.BAD_REQUEST) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, status)


def client_address(request: Request) -> str:
    """The caller's address (behind a proxy, run uvicorn with --forwarded-allow-ips)."""
    return request.client.host if request.client and request.client.host else "unknown"


def too_many_requests(retry_after: int) -> JSONResponse:
    response = _error(f"too many requests: try again in {retry_after} s", 429, "RATE_LIMITED")
    response.headers["Retry-After"] = str(retry_after)
    return response


def _is_json(request: Request) -> bool:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return media_type == "application/json"


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def request_threads(settings: Settings) -> int:
    """ECON_REQUEST_THREADS, or by default 1 on SQLite (the database's work is this
    process's CPU: one lane serves ten clients at about the cost of one, econ/lanes.py; a
    sign-in's password hash gives the lane up while it runs) and 4 on PostgreSQL (its
    waits on the network overlap, and one slow query does not hold every request)."""
    if settings.request_threads:
        return settings.request_threads
    return 4 if settings.database_url.startswith("postgres") else 1


class GraphQLEndpoint:
    def __init__(self, schema: GraphQLSchema, settings: Settings):
        self.schema = schema
        self.settings = settings
        self.documents = DocumentCache(schema, settings)
        self.lanes = Lanes(request_threads(settings))

    async def handle(self, request: Request) -> Response:
        if request.method == "GET":
            if "text/html" in request.headers.get("accept", "") and self.settings.introspection:
                return HTMLResponse(GRAPHIQL_HTML)
            return _error("send queries with POST", 405, "METHOD_NOT_ALLOWED")
        if not _is_json(request):
            return _error("send operations as application/json", 415, "UNSUPPORTED_MEDIA_TYPE")
        payload = await self._read_payload(request)
        if isinstance(payload, Response):
            return payload
        token = bearer_token(request)
        status, body = await self.lanes.run(self.run, payload, token, client_address(request))
        if status == 429:
            return too_many_requests(body)
        return JSONResponse(body, status)

    async def _read_payload(self, request: Request) -> dict | Response:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.settings.max_body_bytes:
            return _error("request too large", 413, "TOO_LARGE")
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > self.settings.max_body_bytes:
                return _error("request too large", 413, "TOO_LARGE")
        try:
            payload = json.loads(body or b"null")
        except (ValueError, UnicodeDecodeError, RecursionError):  # nesting bombs too
            return _error('the body must be JSON: {"query": ..., "variables": ...}', 400)
        if isinstance(payload, list):
            return _error("batched queries are not supported; send one operation", 400)
        if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
            return _error("a JSON object with a 'query' string is required", 400)
        variables = payload.get("variables")
        if variables is not None and not isinstance(variables, dict):
            return _error("'variables' must be an object", 400)
        operation = payload.get("operationName")
        if operation is not None and not isinstance(operation, str):
            return _error("'operationName' must be a string", 400)
        problem = first_text_problem([payload["query"], variables, operation])
        if problem:
            return _error(problem, 400)
        return payload

    def run(self, payload: dict, token: str | None, client: str = "unknown") -> tuple[int, Any]:
        """Runs in a worker thread: validate (cached), cost, authenticate, execute."""
        document, errors = self.documents.get(payload["query"])
        if not errors:
            errors = cost_errors(
                self.schema, document, self.settings.max_query_cost, payload.get("variables")
            )
        if errors:
            return 400, {"errors": self._format(errors)}
        with request_connection():
            user = session_user(token)
            actor = actor_for(user) if user else None
            tracing.note_user(actor.user_id if actor else None)  # for the request's log line
            if actor is None:
                wait = ratelimit.hit("anonymous", client, self.settings.anonymous_rate)
                if wait is not None:
                    return 429, wait
            trace = tracing.current()
            context = RequestContext(
                actor=actor,
                settings=self.settings,
                token=token,
                client=client,
                user=user,
                **({"request_id": trace.request_id} if trace is not None else {}),
            )
            result = self._execute(document, payload, context)
            context.flush_reads()
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = self._format(result.errors)
        # No data and no path: the request itself was refused (variables that do not
        # coerce, an unknown operation): the caller's mistake, so a 400.
        if result.data is None and result.errors and all(e.path is None for e in result.errors):
            return 400, body
        return 200, body

    def _format(self, errors) -> list[dict]:
        if not self.settings.introspection:  # suggestions would spell out the schema
            errors = [without_suggestions(e) for e in errors]
        return [format_error(e) for e in errors]

    def _execute(self, document, payload: dict, context: RequestContext) -> ExecutionResult:
        """Execute; only an operation whose resolvers awaited something (a loader) needs
        the event loop: an all-synchronous one (`me`, most mutations) is done without."""
        _thread_loop()  # current before any resolver runs
        result = execute(
            self.schema,
            document,
            context_value=context,
            variable_values=payload.get("variables"),
            operation_name=payload.get("operationName"),
            execution_context_class=LeanExecutionContext,
        )
        if isawaitable(result):
            return run_on_thread_loop(result)
        if context.has_loaders:  # a resolver scheduled a batch it did not wait for
            run_on_thread_loop(asyncio.sleep(0))
        return result
