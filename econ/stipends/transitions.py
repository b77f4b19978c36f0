"""Conditional state changes: `UPDATE ... WHERE id = :id AND state = :from AND version = :v`.

Zero rows updated means someone else moved the record first: a `Conflict`, never a
silent overwrite. Works the same on SQLite and PostgreSQL (no SELECT FOR UPDATE needed).
"""

from __future__ import annotations

from collections.abc import Iterable

import peewee as pw

from econ.errors import CommonCode, Conflict


def move(
    model: type[pw.Model], record: pw.Model, to_state: str, allowed_from: Iterable[str], **changes
) -> pw.Model:
    """Move `record` to `to_state` if it is in one of `allowed_from`; returns it re-read."""
    allowed = tuple(allowed_from)
    if record.state not in allowed:
        raise Conflict(
            CommonCode.INVALID_TRANSITION, f"cannot go from {record.state} to {to_state}", "state"
        )
    updated = (
        model.update(state=to_state, version=model.version + 1, **changes)
        .where(
            (model.id == record.id)
            & (model.state == record.state)
            & (model.version == record.version)
        )
        .execute()
    )
    if updated != 1:
        raise Conflict(CommonCode.CONFLICT, "it was changed by someone else; reload and try again")
    return model.get_by_id(record.id)
