"""Keyset pages of many records' child lists in two statements (issue 14, item 6).

A loader asks for the same page (`size` items after one key) of the children of many
records at once: her enrolments on each row of a class list, a candidate's credentials on
each referral. Reading every child and cutting in Python caps the answer, not the read;
here the database numbers each record's children past the cursor (`ROW_NUMBER() OVER
(PARTITION BY ...)`, SQLite 3.25+ and PostgreSQL) and returns at most `size + 1` of each,
and one GROUP BY counts them all. Below the domains: services hand it their own query, so
what the caller may see stays theirs to decide.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import peewee as pw

from econ.db import Ids


@dataclass(frozen=True)
class Page:
    rows: list  # at most the page size
    has_next: bool
    total: int  # all of the record's children the query reaches, not only this page's


def keyset_pages(
    query: pw.ModelSelect,
    group: pw.Field,
    key: pw.Field,
    groups: Iterable[int],
    size: int,
    after: int | None = None,
    descending: bool = False,
    skip: int = 0,
) -> dict[int, Page]:
    """Per id of `groups`, the page of `query`'s rows (grouped by `group`, ordered by the
    unique `key`) after the key `after`, or past the first `skip` (an offset page, where
    a key in the cursor would tell too much); every id asked for is a key of the result."""
    ids = sorted(set(groups))
    if not ids:
        return {}
    order = key.desc() if descending else key.asc()
    mine = query.where(group.in_(Ids(ids)))
    past = mine if after is None else mine.where(key < after if descending else key > after)
    number = pw.fn.ROW_NUMBER().over(partition_by=[group], order_by=[order])
    ranked = past.select(key.alias("page_key"), number.alias("page_rank")).order_by().alias("r")
    chosen = pw.Select([ranked], [ranked.c.page_key]).where(
        (ranked.c.page_rank > skip) & (ranked.c.page_rank <= skip + size + 1)
    )
    owner = getattr(group, "object_id_name", group.name)  # `participant_id` of a foreign key
    found: dict[int, list] = {i: [] for i in ids}
    for row in mine.where(key.in_(chosen)).order_by(order):
        found[getattr(row, owner)].append(row)
    counts = dict(mine.select(group, pw.fn.COUNT(key)).group_by(group).order_by().tuples())
    return {i: Page(rows[:size], len(rows) > size, counts.get(i, 0)) for i, rows in found.items()}


PageKey = tuple[int, int, "int | None"]  # (record id, page size, after: a key or an offset)


def pages_by_key(
    keys: Iterable[PageKey], read: Callable[[list[int], int, int | None], dict[int, Page]]
) -> dict[PageKey, Page]:
    """A loader's keys answered by `read(ids, size, after)`, one call per distinct page
    asked for (the keys of one field of a document all ask for the same one)."""
    asked: dict[tuple[int, int | None], list[int]] = {}
    for record, size, after in keys:
        asked.setdefault((size, after), []).append(record)
    found: dict[PageKey, Page] = {}
    for (size, after), ids in asked.items():
        for record, page in read(ids, size, after).items():
            found[(record, size, after)] = page
    return found
