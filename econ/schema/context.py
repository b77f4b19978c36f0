"""Per-request context: the actor, the settings and lazily built DataLoaders.

Loaders are created on first use inside the request's own event loop (aiodataloader binds
the loop at construction), so they are never shared between requests or threads.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiodataloader import DataLoader

from econ.config import Settings
from econ.security.roles import Actor

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
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    _loaders: dict[Hashable, DataLoader] = field(default_factory=dict)

    _currency: str | None = None

    @property
    def currency(self) -> str:
        if self._currency is None:
            from econ.settings.services import setting

            self._currency = setting("currency")
        return self._currency

    def loader(self, name: Hashable, fn: BatchFn) -> DataLoader:
        """The request's loader for `name`; `fn(keys)` returns values in key order."""
        existing = self._loaders.get(name)
        if existing is None:
            existing = self._loaders[name] = _SyncBatchLoader(fn)
        return existing
