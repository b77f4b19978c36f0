"""Rows grouped by a key (how every batch reader hands one query's rows back per record),
and rows in chunks of a size (how streaming writers read and write them)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from itertools import islice
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


def group_by(rows: Iterable[T], key: Callable[[T], K], keys: Iterable[K] = ()) -> dict[K, list[T]]:
    """Rows in lists by `key(row)`, in row order; each of `keys` is present even when empty,
    so a loader can answer every key it was asked for."""
    grouped: dict[K, list[T]] = {k: [] for k in keys}
    for row in rows:
        grouped.setdefault(key(row), []).append(row)
    return grouped


def batched(rows: Iterable[T], size: int) -> Iterator[list[T]]:
    """Successive lists of `size` rows (the last one shorter); itertools.batched is 3.12."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk
