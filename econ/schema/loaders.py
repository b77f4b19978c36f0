"""Batch loaders: each relation declared once, at module level, and keyed by itself.

A `Relation` names how to fetch many records of one relation at once (participants by id,
a loan's installments, a run line's attempts). Resolvers call `RELATION.load(info, key)`;
the request builds one DataLoader per relation on first use, so every key asked for in
one tick of the event loop is fetched in one query, and two resolvers that load the same
relation share it. Keying the request's loaders by the relation object (not by a string
name) means two modules cannot register different functions under one name, nor the
same relation under three names: a shared relation is imported, not redeclared.

`fetch` returns a mapping from key to value; a key it leaves out gets `missing()` (None,
or for example `list` for "no rows"). A relation declared with `actor=True` is fetched
as `fetch(actor, keys)`: what the caller may see is decided by the service it calls.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

Fetch = Callable[..., Mapping[Any, Any]]


def _none() -> None:
    return None


class Relation:
    """One batched relation. Compared and hashed by identity: declare it once."""

    __slots__ = ("fetch", "missing", "name", "needs_actor")

    def __init__(
        self,
        name: str,
        fetch: Fetch,
        *,
        missing: Callable[[], Any] = _none,
        actor: bool = False,
    ) -> None:
        self.name = name  # for reading profiles and errors only; never a lookup key
        self.fetch = fetch
        self.missing = missing
        self.needs_actor = actor

    def __repr__(self) -> str:
        return f"Relation({self.name})"

    def batch(self, actor: Any, keys: Sequence[Any]) -> list[Any]:
        """The values of `keys`, in their order (what the DataLoader asks for)."""
        wanted = list(keys)
        found = self.fetch(actor, wanted) if self.needs_actor else self.fetch(wanted)
        return [found[key] if key in found else self.missing() for key in wanted]

    def load(self, info: Any, key: Any) -> Awaitable[Any]:
        """The value for `key`, batched with every other key of this request's tick."""
        return info.context.loader(self).load(key)

    def load_many(self, info: Any, keys: Sequence[Any]) -> Awaitable[list[Any]]:
        return info.context.loader(self).load_many(list(keys))
