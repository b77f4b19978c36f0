"""The /graphql endpoint: POST runs an operation, GET shows GraphiQL to a browser.

Each operation runs in a worker thread with its own database connection and its own event
loop (peewee connections are thread-local; aiodataloader batches per loop tick), so the
server's event loop never waits on the database.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from graphql import ExecutionResult, GraphQLSchema, execute
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from econ.config import Settings
from econ.db import db
from econ.schema.context import RequestContext
from econ.schema.errors import format_error
from econ.schema.graphiql import GRAPHIQL_HTML
from econ.schema.validation import NUL_MESSAGE, DocumentCache, contains_nul
from econ.security.services import authenticate

log = logging.getLogger("econ.graphql")


def _error(message: str, status: int, code: str = "BAD_REQUEST") -> JSONResponse:
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, status)


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


class GraphQLEndpoint:
    def __init__(self, schema: GraphQLSchema, settings: Settings):
        self.schema = schema
        self.settings = settings
        self.documents = DocumentCache(schema, settings)

    async def handle(self, request: Request) -> Response:
        if request.method == "GET":
            if "text/html" in request.headers.get("accept", "") and self.settings.introspection:
                return HTMLResponse(GRAPHIQL_HTML)
            return _error("send queries with POST", 405, "METHOD_NOT_ALLOWED")
        payload = await self._read_payload(request)
        if isinstance(payload, Response):
            return payload
        token = bearer_token(request)
        status, body = await run_in_threadpool(self.run, payload, token)
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
        if contains_nul(variables):
            return _error(NUL_MESSAGE, 400)
        operation = payload.get("operationName")
        if operation is not None and not isinstance(operation, str):
            return _error("'operationName' must be a string", 400)
        return payload

    def run(self, payload: dict, token: str | None) -> tuple[int, dict]:
        """Runs in a worker thread: authenticate, validate (cached), execute."""
        document, errors = self.documents.get(payload["query"])
        if errors:
            return 400, {"errors": [format_error(e) for e in errors]}
        with db.connection_context():
            actor = authenticate(token)
            context = RequestContext(actor=actor, settings=self.settings, token=token)
            result = asyncio.run(self._execute(document, payload, context))
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [format_error(e) for e in result.errors]
        return 200, body

    async def _execute(self, document, payload: dict, context: RequestContext) -> ExecutionResult:
        result = execute(
            self.schema,
            document,
            context_value=context,
            variable_values=payload.get("variables"),
            operation_name=payload.get("operationName"),
        )
        if asyncio.iscoroutine(result) or isinstance(result, asyncio.Future):
            result = await result
        return result
