"""Many rows of one model in one INSERT, the statement's text built once per shape.

peewee's `insert_many` renders every value of every row as a node of its own: for a
chunk's 500 payment attempts, a file's 1,000 journal lines or a batch of audit entries
that cost more than the database then takes to store them (a third of an export's last
step, the one no second worker can share: docs/performance.md §5). `insert_rows` takes
the same rows (dicts with the same keys, as `insert_many` takes them) and binds each
value through its field's own `db_value`, as peewee does.

The columns are peewee's: the keys given and every field with a default, in the model's
field order; a default that is callable is called per row. The first call of each shape
(model, keys, database class) renders one row with peewee and compares: the text must
be ours and the values the same (those of callable defaults apart); a shape where they
differ, or a row whose value is a peewee expression, goes through `insert_many` instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import peewee as pw

from econ.db import db

# SQLite's limit is 32,766 parameters a statement, PostgreSQL's 65,535.
MAX_PARAMETERS = 30_000


class _Shape:
    __slots__ = ("callable_defaults", "columns", "head", "row_text")

    def __init__(self, head: str, row_text: str, columns: list[tuple[pw.Field, str | None]]):
        self.head = head  # INSERT INTO "t" ("a", "b") VALUES
        self.row_text = row_text  # (?, ?)
        self.columns = columns  # (field, the row's key, or None for a default)
        self.callable_defaults = [
            i for i, (f, key) in enumerate(columns) if key is None and callable(f.default)
        ]

    def values(self, row: Mapping[str, Any]) -> list:
        out = []
        for field, key in self.columns:
            if key is None:
                value = field.default() if callable(field.default) else field.default
            else:
                value = row[key]
            out.append(field.db_value(value))
        return out


_SHAPES: dict[tuple, _Shape | None] = {}


def insert_rows(model: type[pw.Model], rows: Sequence[Mapping[str, Any]]) -> None:
    """`model.insert_many(rows).execute()`, for rows with the same keys."""
    if not rows:
        return
    keys = tuple(rows[0])
    shape_key = (model, keys, type(db.obj))
    if shape_key not in _SHAPES:
        _SHAPES[shape_key] = _shape(model, rows[0])
    shape = _SHAPES[shape_key]
    if shape is None or any(_unlike(row, len(keys)) for row in rows):
        model.insert_many(rows).execute()
        return
    per_statement = max(1, MAX_PARAMETERS // len(shape.columns))
    for start in range(0, len(rows), per_statement):
        batch = rows[start : start + per_statement]
        text = shape.head + ", ".join([shape.row_text] * len(batch))
        params = [value for row in batch for value in shape.values(row)]
        db.execute_sql(text, params)


def _unlike(row: Mapping[str, Any], width: int) -> bool:
    """A row peewee would read differently: other keys, or an expression as a value."""
    return len(row) != width or any(isinstance(value, pw.Node) for value in row.values())


def _shape(model: type[pw.Model], row: Mapping[str, Any]) -> _Shape | None:
    """Our text for `row`'s keys, or None where peewee's one-row insert is not ours."""
    meta = model._meta
    try:
        given = {meta.combined[key]: key for key in row}
    except KeyError:
        return None
    fields = set(given) | {f for f in meta.defaults if f is not meta.primary_key or f in given}
    columns = [(f, given.get(f)) for f in sorted(fields, key=lambda f: f._sort_key)]
    param = db.obj.param
    quote = db.obj.quote
    names = ", ".join(f"{quote[0]}{f.column_name}{quote[1]}" for f, _ in columns)
    head = f"INSERT INTO {quote[0]}{meta.table_name}{quote[1]} ({names}) VALUES "
    shape = _Shape(head, "(" + ", ".join([param] * len(columns)) + ")", columns)
    theirs, their_values = model.insert_many([row]).sql()
    ours = head + shape.row_text
    if theirs != ours and not theirs.startswith(ours + " RETURNING "):
        return None
    mine = shape.values(row)
    skip = set(shape.callable_defaults)
    if len(mine) != len(their_values) or any(
        a != b for i, (a, b) in enumerate(zip(mine, their_values, strict=True)) if i not in skip
    ):
        return None
    return shape
