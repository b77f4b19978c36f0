"""The floor for `bench.graphql` (a): the least a stack like econ's must do for `{ me { id } }`.

A bare Starlette endpoint (no middleware) that reads the JSON body and the bearer token,
hops to a worker thread, looks the token's keyed hash up in econ's own `session` table
(one indexed query joined to `user`, on a connection kept open per thread) and executes a
cached graphql-core document against a one-type schema. Same database file, same server
process, same client and same run as econ's (a), so the ratio (a) / floor is what econ's
own layers (middleware, settings, cost check, context, event loop, peewee) cost.

It is mounted by `bench.graphql --serve` at FLOOR_PATH, next to econ's app.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLID,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    execute_sync,
    parse,
    validate,
)
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

FLOOR_PATH = "/bench/floor"

_USER = GraphQLObjectType("User", {"id": GraphQLField(GraphQLNonNull(GraphQLID))})
SCHEMA = GraphQLSchema(
    GraphQLObjectType(
        "Query",
        {"me": GraphQLField(_USER, resolve=lambda root, info: info.context)},
    )
)
_LOOKUP = (
    'SELECT s.user_id FROM "session" s JOIN "user" u ON u.id = s.user_id '
    "WHERE s.token_hash = {p} AND s.revoked_at IS NULL AND s.expires_at > {p} AND u.active"
)


class _Documents:
    """query text -> validated document (parsed and validated once)."""

    def __init__(self) -> None:
        self._items: dict[str, Any] = {}

    def get(self, query: str):
        document = self._items.get(query)
        if document is None:
            document = parse(query)
            if validate(SCHEMA, document):
                raise ValueError("invalid document")
            self._items[query] = document
        return document


def floor_app(database_url: str, sqlite_path: str) -> Starlette:
    """The bare endpoint on econ's database (PostgreSQL if `database_url`, else SQLite)."""
    from econ.security.crypto import keyed_hash

    local = threading.local()
    documents = _Documents()
    placeholder = "%s" if database_url else "?"
    lookup = _LOOKUP.format(p=placeholder)

    def connection():
        conn = getattr(local, "conn", None)
        if conn is None:
            if database_url:
                import psycopg2

                conn = psycopg2.connect(database_url)
                conn.autocommit = True
            else:
                import sqlite3

                conn = sqlite3.connect(sqlite_path, isolation_level=None)
            local.conn = conn
        return conn

    def run(query: str, token: str) -> dict:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        cursor = connection().cursor()
        cursor.execute(lookup, (keyed_hash(token), now))
        row = cursor.fetchone()
        user = {"id": row[0]} if row else None
        result = execute_sync(SCHEMA, documents.get(query), context_value=user)
        return {"data": result.data}

    async def endpoint(request: Request) -> JSONResponse:
        payload = json.loads(await request.body())
        _, _, token = request.headers.get("authorization", "").partition(" ")
        return JSONResponse(await run_in_threadpool(run, payload["query"], token.strip()))

    return Starlette(routes=[Route(FLOOR_PATH, endpoint, methods=["POST"])])


def with_floor(app, floor):
    """One ASGI app: FLOOR_PATH goes to the bare endpoint, everything else to econ."""

    async def dispatch(scope, receive, send):
        if scope["type"] == "http" and scope["path"] == FLOOR_PATH:
            return await floor(scope, receive, send)
        return await app(scope, receive, send)

    return dispatch
