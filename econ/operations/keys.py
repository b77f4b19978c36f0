"""Key rotation: re-seal every restricted value and payment file under the current key.

`rotate` walks each sealed column in primary-key order, a chunk per transaction, and only
touches values not yet under the current key; so a crash (or a kill) loses at most the
chunk in flight, and running it again resumes where it stopped. Each update is a
compare-and-swap on the old ciphertext, so a value the service rewrote meanwhile is never
overwritten with stale plaintext. When `inventory()` shows nothing under an old key, that
key can leave the ring.
"""

from __future__ import annotations

import secrets
import time
from collections import Counter
from collections.abc import Callable, Iterator

from econ.db import db
from econ.operations.sealed import COLUMNS, SealedColumn
from econ.security.crypto import CURRENT, LEGACY, current_key_id, decrypt, encrypt, key_id_of

_PREFIX = 40  # enough characters of a value to read its version and key id


def _select(column: SealedColumn, what: str, where: str, params: tuple = (), tail: str = ""):
    sql = (
        f'SELECT {what} FROM "{column.table}" WHERE "{column.column}" IS NOT NULL '
        f"AND SUBSTR(\"{column.column}\", 1, 3) IN ('{LEGACY}:', '{CURRENT}:') {where} {tail}"
    )
    return db.execute_sql(sql, params)


def _not_current(column: SealedColumn) -> tuple[str, tuple]:
    prefix = f"{CURRENT}:{current_key_id()}:"
    return f'AND SUBSTR("{column.column}", 1, {len(prefix)}) != {db.param}', (prefix,)


def inventory() -> dict[str, Counter]:
    """Per sealed column, how many values each key id holds (`v1` for values before ids)."""
    found: dict[str, Counter] = {}
    for column in COLUMNS:
        cursor = _select(column, f'SUBSTR("{column.column}", 1, {_PREFIX})', "")
        found[column.label] = Counter(key_id_of(row[0]) or LEGACY for row in cursor)
    return found


def pending() -> int:
    """Values not yet under the current key."""
    total = 0
    for column in COLUMNS:
        where, params = _not_current(column)
        total += _select(column, "COUNT(*)", where, params).fetchone()[0]
    return total


def rotate(
    chunk: int = 200, pause: float = 0.0, progress: Callable[[str, int], None] | None = None
) -> int:
    """Re-seal everything under the current key; returns how many values changed."""
    changed = 0
    for column in COLUMNS:
        for done in _rotate_column(column, min(chunk, column.batch_cap)):
            changed += done
            if progress:
                progress(column.label, done)
            if pause:
                time.sleep(pause)  # spare a busy database: rotation is never urgent
    return changed


def _rotate_column(column: SealedColumn, chunk: int) -> Iterator[int]:
    keys = ", ".join(f'"{k}"' for k in ("id", *column.keys))
    where, params = _not_current(column)
    update = (
        f'UPDATE "{column.table}" SET "{column.column}" = {db.param} '
        f'WHERE "id" = {db.param} AND "{column.column}" = {db.param}'
    )
    last_id = 0
    while True:
        with db.atomic():
            rows = _select(
                column,
                f'{keys}, "{column.column}"',
                f'{where} AND "id" > {db.param}',
                (*params, last_id),
                f'ORDER BY "id" LIMIT {int(chunk)}',
            ).fetchall()
            for row in rows:
                row_id, context_keys, sealed = row[0], row[1:-1], row[-1]
                context = column.context(*context_keys)
                db.execute_sql(update, (encrypt(decrypt(sealed, context), context), row_id, sealed))
        if not rows:
            return
        last_id = rows[-1][0]
        yield len(rows)


def new_key() -> str:
    """A fresh random key to put first in the ring."""
    return secrets.token_urlsafe(48)


def verify() -> tuple[int, list[str]]:
    """Open every sealed value with the ring; returns (values read, problems by row)."""
    read, problems = 0, []
    for column in COLUMNS:
        keys = ", ".join(f'"{k}"' for k in ("id", *column.keys))
        for row in _select(column, f'{keys}, "{column.column}"', "", tail='ORDER BY "id"'):
            try:
                decrypt(row[-1], column.context(*row[1:-1]))
                read += 1
            except Exception as exc:  # report every unreadable value, not just the first
                problems.append(f"{column.label} id {row[0]}: {type(exc).__name__} {exc}")
    return read, problems
