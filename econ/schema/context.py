"""Per-request context: the actor, the settings and lazily built DataLoaders.

Loaders are created on first use, bound to the worker thread's event loop (aiodataloader
binds the loop at construction), and live as long as the request's context: they are never
shared between requests or threads.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiodataloader import DataLoader

from econ.config import Settings
from econ.security.audit import ReadLog
from econ.security.roles import Actor
from econ.settings.services import setting

BatchFn = Callable[[Sequence[Any]], Sequence[Any]]


class _SyncBatchLoader(DataLoader):
    """Runs a plain (database) batch function for all keys collected in one loop tick."""

    def __init__(self, fn: BatchFn):
        super().__init__()
        self._fn = fn

    async def batch_load_fn(self, keys: Sequence[Any]) -> list[Any]:
        return list(self._fn(keys))


@dataclass
class RequestContext:
    actor: Actor | None
    settings: Settings
    token: str | None = None
    client: str = ""  # the caller's address, for per-address throttles
    user: Any = None  # the actor's User row as authentication loaded it (for `me`)
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    _loaders: dict[Hashable, DataLoader] = field(default_factory=dict)
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

    def loader(self, name: Hashable, fn: BatchFn) -> DataLoader:
        """The request's loader for `name`; `fn(keys)` returns values in key order."""
        existing = self._loaders.get(name)
        if existing is None:
            existing = self._loaders[name] = _SyncBatchLoader(fn)
        return existing
