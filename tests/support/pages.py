"""Reading connections in tests: the items of a page."""

from __future__ import annotations


def nodes(connection: dict | None) -> list[dict]:
    return [edge["node"] for edge in (connection or {}).get("edges") or []]
