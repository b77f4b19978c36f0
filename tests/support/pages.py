"""Reading connections in tests: the items of a page."""

from __future__ import annotations

from typing import Any


def nodes(connection: dict | None) -> list[dict]:
    return [edge["node"] for edge in (connection or {}).get("edges") or []]


def flat(data: Any, *names: str) -> Any:
    """`data` with each connection under one of `names` read as the list of its page's
    items, at any depth: `flat(run, "files")["files"][0]`, as when those were lists."""
    if isinstance(data, list):
        return [flat(item, *names) for item in data]
    if not isinstance(data, dict):
        return data
    found = {}
    for key, value in data.items():
        if key in names and isinstance(value, dict) and "edges" in value:
            value = nodes(value)
        found[key] = flat(value, *names)
    return found
