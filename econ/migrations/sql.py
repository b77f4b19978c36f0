"""Migration SQL: split a script into statements; adapt PostgreSQL DDL for SQLite.

Migrations are written once, in PostgreSQL's dialect. SQLite accepts the same DDL except
for a few type names, which are renamed here outside quoted names, string literals and
`--` comments;
the result is exactly what peewee itself generates for SQLite.
"""

from __future__ import annotations

import re

SQLITE_TYPES = {
    "SERIAL": "INTEGER",
    "BIGINT": "INTEGER",
    "BOOLEAN": "INTEGER",
    "TIMESTAMP": "DATETIME",
    "NUMERIC": "DECIMAL",
    "BYTEA": "BLOB",
}
_QUOTED = re.compile(r"(\"[^\"]*\"|'(?:[^']|'')*'|--[^\n]*)")
_TYPE = re.compile(r"\b(" + "|".join(SQLITE_TYPES) + r")\b")


def adapt(statement: str, *, postgres: bool) -> str:
    if postgres:
        return statement
    parts = _QUOTED.split(statement)
    # Odd parts are quoted names or literals: never touched.
    return "".join(
        part if i % 2 else _TYPE.sub(lambda m: SQLITE_TYPES[m.group(1)], part)
        for i, part in enumerate(parts)
    )


def statements(script: str) -> list[str]:
    """The statements of a script, split at semicolons outside quotes and literals."""
    found, current = [], []
    for i, part in enumerate(_QUOTED.split(script)):
        if i % 2:
            if not part.startswith("--"):  # a comment ends at the line's end: drop it
                current.append(part)
            continue
        pieces = part.split(";")
        for piece in pieces[:-1]:
            current.append(piece)
            found.append("".join(current))
            current = []
        current.append(pieces[-1])
    found.append("".join(current))
    return [s.strip() for s in found if s.strip()]
