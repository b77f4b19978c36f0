"""Migrations are frozen SQL: split and adapted for SQLite exactly, importing no model."""

from __future__ import annotations

import ast
import importlib
import inspect
import re

import peewee as pw

from econ.migrations import available, status
from econ.migrations.draft import draft
from econ.migrations.sql import adapt, statements
from tests.db.test_migrations import all_models


def test_statements_split_at_semicolons_outside_quotes_and_drop_comments():
    script = """
    CREATE TABLE "a;b" ("x" TEXT DEFAULT 'x;y''z'); -- why; it's 'so'
    CREATE INDEX "i" ON "a;b" ("x") WHERE ("x" != ';');
    """
    assert statements(script) == [
        """CREATE TABLE "a;b" ("x" TEXT DEFAULT 'x;y''z')""",
        """CREATE INDEX "i" ON "a;b" ("x") WHERE ("x" != ';')""",
    ]


def test_sqlite_adaptation_renames_types_but_never_names_or_literals():
    statement = """CREATE TABLE "timestamp" ("id" SERIAL, "n" BIGINT DEFAULT 'BIGINT')"""
    assert adapt(statement, postgres=True) == statement
    assert adapt(statement, postgres=False) == (
        """CREATE TABLE "timestamp" ("id" INTEGER, "n" INTEGER DEFAULT 'BIGINT')"""
    )


def test_adapted_ddl_is_what_peewee_generates_for_sqlite():
    """The six renames are enough: for every model, today's PostgreSQL draft adapted for
    SQLite equals peewee's own SQLite DDL (so frozen SQL builds what models expect)."""
    sqlite = pw.SqliteDatabase(":memory:")
    for model in all_models():
        with model.bind_ctx(sqlite):
            ctx = model._schema
            expected = [sqlite.get_sql_context().sql(ctx._create_table(safe=False)).query()]
            expected += [sqlite.get_sql_context().sql(i).query() for i in ctx._create_indexes()]
        path = f"{model.__module__}.{model.__name__}"
        drafted = [adapt(s, postgres=False) for s in statements(draft([path]))]
        rendered = [_inline(query, params) for query, params in expected]
        assert [_squash(s) for s in drafted] == [_squash(s) for s in rendered], path


def _inline(query: str, params: list) -> str:
    for value in params:
        query = query.replace("?", "'" + str(value).replace("'", "''") + "'", 1)
    return query.replace(" IF NOT EXISTS", "")


def _squash(statement: str) -> str:
    return re.sub(r"\s+", "", statement)


def test_migrations_import_nothing_from_econ():
    """A migration must mean the same thing in ten years: no model, service or helper."""
    for name in available():
        tree = ast.parse(inspect.getsource(importlib.import_module(f"econ.migrations.{name}")))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("econ"), (name, node.module)
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("econ") for a in node.names), name


def test_status_lists_every_migration_as_applied():
    rows = status()
    assert [r.name for r in rows] == available()
    assert all(r.applied_at is not None and r.known for r in rows)
