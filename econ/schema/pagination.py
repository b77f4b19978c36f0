"""Relay connections sliced in SQL: `first` (1..100), `after`, `totalCount`.

graphene's default ConnectionField would slice a whole query in Python; this builds the
page from a LIMITed query instead.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Callable
from typing import Any

import graphene
import peewee as pw
from graphene import relay
from graphene.utils.module_loading import import_string

from econ.config import get_settings
from econ.schema.errors import bad_request

DEFAULT_PAGE = 20
MAX_PAGE = 100  # what the schema documents and the cost bound assumes; ECON_MAX_PAGE_SIZE lowers it


def connection_type(
    node: type[graphene.ObjectType], name: str | None = None, **fields: Any
) -> type:
    """`XConnection` with edges, pageInfo and totalCount for node type X, and `fields`
    (figures about every page, set on the page by its resolver)."""
    meta = type("Meta", (), {"node": node, "name": name or f"{node._meta.name}Connection"})
    return type(
        meta.name,
        (relay.Connection,),
        {
            "Meta": meta,
            "total_count": graphene.Int(required=True, description="All matches."),
            **fields,
        },
    )


@functools.cache
def connection_at(path: str) -> type:
    """The connection type at a dotted path: the fields other domains add to `Participant`
    are built while `Participant` is, before their own types can be imported."""
    return import_string(path)


def connection_field(
    conn: type | str, description: str = "", required: bool = True, **args: Any
) -> graphene.Field:
    """`required=False` where another role asking gets an error on this field alone; `conn`
    may be a dotted path (`connection_at`)."""
    return graphene.Field(
        graphene.NonNull(conn) if required else conn,
        first=graphene.Int(description=f"Page size, 1 to {MAX_PAGE} (default {DEFAULT_PAGE})."),
        after=graphene.String(description="Cursor of the last item of the previous page."),
        description=description,
        **args,
    )


# Past any row or id a cursor of ours can name; a larger number is forged, and it must
# not reach the SQL (an OFFSET or key beyond the database's 64-bit integers is an error).
CURSOR_MAX = 2**62


def _offset(after: str | None) -> int:
    if not after:
        return 0
    try:
        kind, _, value = base64.b64decode(after.encode(), validate=True).decode().partition(":")
        offset = int(value)
    except (ValueError, UnicodeDecodeError):
        raise bad_request("invalid cursor") from None
    if kind != "o" or not 0 <= offset < CURSOR_MAX:
        raise bad_request("invalid cursor")
    return offset + 1


def _cursor(offset: int) -> str:
    return base64.b64encode(f"o:{offset}".encode()).decode()


def _after_key(after: str | None) -> int | None:
    """The key of a keyset cursor (`k:<id>`), None for the first page."""
    if not after:
        return None
    try:
        kind, _, value = base64.b64decode(after.encode(), validate=True).decode().partition(":")
        key = int(value)
    except (ValueError, UnicodeDecodeError):
        raise bad_request("invalid cursor") from None
    if kind != "k" or not 0 <= key < CURSOR_MAX:
        raise bad_request("invalid cursor")
    return key


def _key_cursor(key: int) -> str:
    return base64.b64encode(f"k:{key}".encode()).decode()


def page_size(first: int | None, max_page: int | None = None) -> int:
    max_page = max_page or get_settings().max_page_size
    size = min(DEFAULT_PAGE, max_page) if first is None else first
    if size < 1 or size > max_page:
        raise bad_request(f"first must be between 1 and {max_page}")
    return size


def _offset_page(conn: type, window: list, start: int, has_next: bool, total: int) -> Any:
    edges = [conn.Edge(node=row, cursor=_cursor(start + i)) for i, row in enumerate(window)]
    return conn(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=has_next,
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )


def paginate(conn: type, query: pw.ModelSelect, first: int | None, after: str | None) -> Any:
    """One LIMITed SELECT and one COUNT, whatever the table size; no COUNT when the page
    is the last one and shows where it ends (the total is then the rows before it and on
    it): most of a page's short lists, a counselor's saved filters, fit in one page."""
    size = page_size(first)
    start = _offset(after)
    rows = list(query.limit(size + 1).offset(start))
    has_next = len(rows) > size
    rows = rows[:size]
    last = not has_next and (rows or start == 0)
    total = start + len(rows) if last else query.order_by().count()
    return _offset_page(conn, rows, start, has_next, total)


def paginate_keyset(
    conn: type,
    query: pw.ModelSelect,
    key: pw.Field,
    first: int | None,
    after: str | None,
    total: int | None = None,
    descending: bool = False,
) -> Any:
    """Pages of a query ordered by `key` (unique, ascending: e.g. the id; or descending,
    newest first), the cursor being the last key shown: a page deep in a run's 20,000
    lines costs what the first does (an OFFSET reads and drops every row before it).
    `total`: the count, when the caller has it already; else one COUNT."""
    size, start = keyset_args(first, after)
    page = query.order_by(key.desc() if descending else key.asc())
    if start is not None:
        page = page.where(key < start if descending else key > start)
    rows = list(page.limit(size + 1))
    if total is None:
        total = query.order_by().count()
    return keyset_connection(conn, rows[:size], key.name, len(rows) > size, total, start)


def keyset_args(first: int | None, after: str | None) -> tuple[int, int | None]:
    """(page size, key after which the page starts) of a keyset field's arguments, checked
    before a loader is asked for the page (a bad one is a 400 of this field alone)."""
    return page_size(first), _after_key(after)


def keyset_connection(
    conn: type, rows: list, key: str, has_next: bool, total: int, start: int | None
) -> Any:
    """The connection of one keyset page read already (`econ.paging.keyset_pages`)."""
    edges = [conn.Edge(node=row, cursor=_key_cursor(getattr(row, key))) for row in rows]
    return conn(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=has_next,
            has_previous_page=start is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )


def offset_args(first: int | None, after: str | None) -> tuple[int, int]:
    """(page size, items before the page) of an offset field's arguments, checked before a
    loader is asked for the page."""
    return page_size(first), _offset(after)


def offset_connection(conn: type, rows: list, start: int, has_next: bool, total: int) -> Any:
    """The connection of one offset page read already (`econ.paging.keyset_pages(skip=)`)."""
    return _offset_page(conn, rows, start, has_next, total)


def paginate_list(conn: type, items: list, first: int | None, after: str | None) -> Any:
    """For lists read whole (one record's history, a loader's batch): the page is cut
    from the list, so the answer is capped, not the read."""
    size = page_size(first)
    start = _offset(after)
    window = items[start : start + size]
    return _offset_page(conn, window, start, start + size < len(items), len(items))


def paginate_prefix(
    conn: type, fetch: Callable[[int], list], total: int, first: int | None, after: str | None
) -> Any:
    """Pages of a list its service reads from the start with a LIMIT (`fetch(n)`: its
    first n items) and counts apart (`total`): a page reads no more than the items up to
    its end, however long the whole list is."""
    size = page_size(first)
    start = _offset(after)
    window = list(fetch(start + size))[start : start + size]
    return _offset_page(conn, window, start, start + size < total, total)


def paginate_window(
    conn: type, fetch: Callable[[int, int], list], total: int, first: int | None, after: str | None
) -> Any:
    """Pages its service reads with LIMIT and OFFSET (`fetch(offset, limit)`) and counts
    apart (`total`): for ordered lists without a unique key to page by (a UNION)."""
    size = page_size(first)
    start = _offset(after)
    window = list(fetch(start, size))
    return _offset_page(conn, window, start, start + size < total, total)
