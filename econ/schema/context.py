"""Per-request context: the actor, the settings and lazily built DataLoaders.

Loaders are created on first use of their relation (`econ.schema.loaders.Relation`), bound
to the worker thread's event loop (aiodataloader binds the loop at construction), and live
as long as the request's context: they are never shared between requests or threads.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiodataloader import DataLoader

from econ.config import Settings
from econ.schema.loaders import UNANNOUNCED, Relation
from econ.security.audit import ReadLog
from econ.security.roles import Actor
from econ.settings.services import setting


class _SyncBatchLoader(DataLoader):
    """Fetches one relation (a plain database call) for all keys collected in one tick."""

    def __init__(self, relation: Relation, actor: Actor | None):
        super().__init__()
        self._relation = relation
        self._actor = actor

    async def batch_load_fn(self, keys: Sequence[Any]) -> list[Any]:
        return self._relation.batch(self._actor, keys)


@dataclass(frozen=True)
class _Failed:
    """An announced batch that raised: its keys' fields fail with the same error, without
    asking again for each."""

    error: Exception


def _value(found: Any) -> Any:
    if isinstance(found, _Failed):
        raise found.error
    return found


@dataclass
class RequestContext:
    actor: Actor | None
    settings: Settings
    token: str | None = None
    client: str = ""  # the caller's address, for per-address throttles
    user: Any = None  # the actor's User row as authentication loaded it (for `me`)
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    _loaders: dict[Relation, DataLoader] = field(default_factory=dict)
    # Per relation: the keys announced (an ordered set) and the values fetched for them.
    _announced: dict[Relation, dict[Any, None]] = field(default_factory=dict)
    _found: dict[Relation, dict[Any, Any]] = field(default_factory=dict)
    _late: bool = False  # running what follows a late value: announcements are dropped
    # Values computed once per request that several resolvers show (a run's payable sums).
    memo: dict[Hashable, Any] = field(default_factory=dict)

    _currency: str | None = None
    _reads: ReadLog | None = None

    @property
    def reads(self) -> ReadLog:
        """Restricted reads of this request, audited in one batch when it ends."""
        if self._reads is None:
            self._reads = ReadLog(self.actor)
        return self._reads

    def flush_reads(self) -> None:
        if self._reads is not None:
            self._reads.flush()

    @property
    def currency(self) -> str:
        if self._currency is None:
            self._currency = setting("currency")
        return self._currency

    @property
    def has_loaders(self) -> bool:
        return bool(self._loaders)

    def loader(self, relation: Relation) -> DataLoader:
        """The request's one loader of `relation` (built on first use)."""
        existing = self._loaders.get(relation)
        if existing is None:
            existing = self._loaders[relation] = _SyncBatchLoader(relation, self.actor)
        return existing

    def announce(self, relation: Relation, keys: Iterable[Any]) -> None:
        if not self._late:
            self._announced.setdefault(relation, {}).update(dict.fromkeys(keys))

    def unannounced(self, then: Callable[[Any], Any], value: Any) -> Any:
        """`then(value)` for a value a loader answered late: it announces nothing
        (econ.schema.loaders: its announcements would be fetched one parent at a time)."""
        self._late = True
        try:
            return then(value)
        finally:
            self._late = False

    def announced_value(self, relation: Relation, key: Any) -> Any:
        """The value of an announced `key`, fetched with every announced key of `relation`
        not fetched yet (one batch); UNANNOUNCED for a key nobody announced."""
        announced = self._announced.get(relation)
        if not announced:
            return UNANNOUNCED
        found = self._found.setdefault(relation, {})
        if key in found:
            return _value(found[key])
        if relation.announced_as(key) not in announced:
            return UNANNOUNCED
        wanted = [k for k in (relation.key_like(a, key) for a in announced) if k not in found]
        try:
            values = relation.batch(self.actor, wanted)
        except Exception as error:  # every key's field fails with it, as a loader's would
            found.update(dict.fromkeys(wanted, _Failed(error)))
            raise
        found.update(zip(wanted, values, strict=True))
        if relation.announces is not None:
            following, key_of = relation.announces
            keys = (key_of(value) for value in values if value is not None)
            self.announce(following, (k for k in keys if k is not None))
        return found[key]
