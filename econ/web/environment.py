"""The pages' Jinja2 environment: attribute access on the documents' JSON made cheap.

Templates read a document's answer as `line.net.amount`. Jinja's `getattr` first asks
Python for an attribute, and a dict has none by that name, so every such read raised
and caught an AttributeError before the key lookup: on the run page (50 lines, ~30
fields each) that was about a fifth of the rendering. A dict's key that is not one of
dict's own attributes gives the same answer directly; everything else is Jinja's own.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment

_DICT_ATTRIBUTES = frozenset(dir(dict))


def nodes(connection: dict | None) -> list[dict]:
    """The items of a connection's page (`{{ referral.history|nodes }}` in a template)."""
    return [edge["node"] for edge in (connection or {}).get("edges") or []]


class PageEnvironment(Environment):
    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters["nodes"] = nodes

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Same result as Environment.getattr: for a plain dict the attribute lookup can
        # only find dict's own attributes (`items`, `get`...), then it falls back to the key.
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)
