"""Print the DDL of a model (or of one new column) as it is now, to freeze in a migration.

    python -m econ.migrations.draft econ.training.models.Waitlist [more models]
    python -m econ.migrations.draft econ.training.models.Cohort.room

The output is PostgreSQL DDL (what `SQL` in a migration holds); nothing connects to a
database. Read it before you paste it: it is a draft of what the model says today.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

import peewee as pw


def _literal(value: object) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    raise SystemExit(f"cannot inline {value!r} in DDL: write that statement by hand")


def _sql(database: pw.Database, node: pw.Node) -> str:
    query, params = database.get_sql_context().sql(node).query()
    for value in params:  # partial indexes carry their WHERE values as parameters
        query = query.replace("%s", _literal(value), 1)
    return _layout(query) + ";"


def _layout(statement: str) -> str:
    """One column per line in CREATE TABLE; a long CREATE INDEX wraps before ON."""
    if statement.startswith("CREATE TABLE"):
        head, _, body = statement.partition(" (")
        parts, depth, current = [], 0, ""
        for char in body[:-1]:  # without the closing parenthesis
            depth += {"(": 1, ")": -1}.get(char, 0)
            if char == "," and depth == 0:
                parts.append(current.strip())
                current = ""
            else:
                current += char
        parts.append(current.strip())
        return head + " (\n" + ",\n".join("    " + p for p in parts) + "\n)"
    if len(statement) > 95 and " ON " in statement:
        head, _, tail = statement.partition(" ON ")
        return f"{head}\n    ON {tail}"
    return statement


def _resolve(dotted: str) -> type[pw.Model] | pw.Field:
    """`package.module.Model` or `package.module.Model.field`."""
    parts = dotted.split(".")
    for cut in (len(parts) - 1, len(parts) - 2):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except (ImportError, ValueError):
            continue
        for name in parts[cut:]:
            found = getattr(found, name, None)
        if isinstance(found, pw.Field) or (isinstance(found, type) and issubclass(found, pw.Model)):
            return found
    raise SystemExit(f"not a model or a model's field: {dotted}")


def draft(targets: Sequence[str]) -> str:
    """PostgreSQL DDL for each `module.Model` (table and indexes) or `module.Model.field`."""
    database = pw.PostgresqlDatabase(None)  # never connected: it only renders SQL
    out: list[str] = []
    for target in targets:
        found = _resolve(target)
        model = found.model if isinstance(found, pw.Field) else found
        with model.bind_ctx(database):
            out.extend(_column(database, found) if model is not found else _table(database, model))
    return "\n".join(out)


def _table(database: pw.Database, model: type[pw.Model]) -> list[str]:
    create = _sql(database, model._schema._create_table(safe=False))
    return [create, *(_sql(database, i) for i in model._schema._create_indexes(safe=False))]


def _column(database: pw.Database, field: pw.Field) -> list[str]:
    ctx = database.get_sql_context()
    column = ctx.sql(field.ddl(ctx)).query()[0]
    out = [f'ALTER TABLE "{field.model._meta.table_name}" ADD COLUMN {column};']
    if not field.null:
        out.append("-- NOT NULL on a table with rows needs a DEFAULT (or add it nullable,")
        out.append("-- fill it in `up`, then ALTER COLUMN ... SET NOT NULL)")
    for index in field.model._schema._create_indexes(safe=False):
        text = _sql(database, index)
        if f'"{field.column_name}"' in text.split(" ON ", 1)[-1]:
            out.append(text)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m econ.migrations.draft", description=__doc__)
    parser.add_argument("target", nargs="+", help="module.Model or module.Model.field")
    print(draft(parser.parse_args(argv).target))
    return 0


if __name__ == "__main__":
    sys.exit(main())
