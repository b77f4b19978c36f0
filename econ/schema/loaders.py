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

A list resolver that has just read its rows may also announce the keys their fields will
ask for (`STAGES.announce(info, [r.id for r in page])`). A field then reads its value
with `RELATION.now_or_later(info, key, then)`: an announced key is answered at once, all
announced keys of the relation fetched in one statement on the first such read, so an
operation whose every relation was announced runs without the event loop (the tasks and
gathers graphql-core makes of coroutines cost more than the reads of a referral list);
a key nobody announced goes to the request's DataLoader as `load` does, batched as
before. A relation keyed `by_first` (a page of each candidate's credentials: her id, then
the page the child field's arguments choose) is announced by the first item of its keys.
A relation may announce, from the values it has just fetched, the keys of the next level
(`announces`): the candidates of a referral list announce their credential pages.
Announced keys come from rows a service has already let the caller see, and are fetched
by the same service as loaded ones: announcing changes when a value is read, never what.
Only a value answered now announces: values a loader answers later resume one parent at
a time, so what each announced would be fetched for that parent alone (a batch per
opportunity of a list, where the loaders make one); their children load as before.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

Fetch = Callable[..., Mapping[Any, Any]]
# (the relation to announce, the key of a fetched value: None announces nothing)
Announces = tuple["Relation", Callable[[Any], Any]]


T = TypeVar("T")
UNANNOUNCED = object()  # `announced_value` of a key nobody announced


def _none() -> None:
    return None


def _same(value: Any) -> Any:
    return value


class Relation:
    """One batched relation. Compared and hashed by identity: declare it once."""

    __slots__ = ("announces", "by_first", "fetch", "missing", "name", "needs_actor")

    def __init__(
        self,
        name: str,
        fetch: Fetch,
        *,
        missing: Callable[[], Any] = _none,
        actor: bool = False,
        by_first: bool = False,
        announces: Announces | None = None,
    ) -> None:
        self.name = name  # for reading profiles and errors only; never a lookup key
        self.fetch = fetch
        self.missing = missing
        self.needs_actor = actor
        self.by_first = by_first
        self.announces = announces

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

    def announce(self, info: Any, keys: Iterable[Any]) -> None:
        """The keys (or, `by_first`, their first items) this request's fields will ask for."""
        info.context.announce(self, keys)

    def now_or_later(self, info: Any, key: Any, then: Callable[[Any], T] = _same) -> Any:
        """`then(value)` now for an announced key, else an awaitable of it (`load`)."""
        found = info.context.announced_value(self, key)
        if found is not UNANNOUNCED:
            return then(found)
        pending = self.load(info, key)
        if then is _same:
            return pending

        async def later() -> T:
            return info.context.unannounced(then, await pending)

        return later()

    def announced_as(self, key: Any) -> Any:
        """What announces `key`: itself, or for a relation keyed `by_first` its first item."""
        return key[0] if self.by_first else key

    def key_like(self, announced: Any, key: Any) -> Any:
        """The key of the announced `announced` that asks what `key` asks (its page)."""
        return (announced, *key[1:]) if self.by_first else announced
