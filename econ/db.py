"""Database access: the proxy every model binds to, shared field types, and start-up.

SQLite (WAL) under the data directory by default, PostgreSQL with `ECON_DATABASE_URL`.
Money is stored as integer cents (`MoneyField`) and handed to code as `Decimal`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import peewee as pw
from playhouse.db_url import connect

from econ.config import Settings
from econ.money import from_cents, to_cents

db = pw.DatabaseProxy()


def utcnow() -> dt.datetime:
    """Naive UTC timestamp: both SQLite and PostgreSQL columns store UTC without zone."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class BaseModel(pw.Model):
    class Meta:
        database = db
        legacy_table_names = False


class MoneyField(pw.BigIntegerField):
    """Integer cents in the database, `Decimal` in Python; refuses float and sub-cent values."""

    def db_value(self, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return to_cents(value)

    def python_value(self, value: Any) -> Decimal | None:
        return None if value is None else from_cents(value)


class JSONField(pw.TextField):
    """JSON as text, the same on both databases (we never query inside it)."""

    def db_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)

    def python_value(self, value: Any) -> Any:
        return None if value is None else json.loads(value)


def create_database(settings: Settings) -> pw.Database:
    if settings.database_url:
        url = settings.database_url
        # Pool PostgreSQL connections: each request and task opens and closes one.
        for plain in ("postgresql://", "postgres://"):
            if url.startswith(plain):
                url = "postgresql+pool://" + url[len(plain) :]
        return connect(
            url,
            **(
                {"max_connections": 32, "stale_timeout": 300}
                if url.startswith("postgresql+pool://")
                else {}
            ),
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return _SqliteDatabase(
        str(settings.sqlite_path),
        # busy_timeout first: switching a new file to WAL takes a lock that several
        # processes starting at once would otherwise fail on instead of waiting for.
        pragmas={
            "busy_timeout": 10_000,
            "journal_mode": "wal",
            "foreign_keys": 1,
            "synchronous": "normal",
        },
    )


class _SqliteDatabase(pw.SqliteDatabase):
    """SQLite whose connection is opened again when its pragmas meet a locked file.

    Processes opening a new file at the same moment all ask to switch it to WAL; SQLite
    answers one of them "database is locked" at once, without waiting for the busy
    timeout (two readers both wanting the exclusive lock would wait on each other), so
    that process opens its connection again a moment later."""

    def _connect(self):
        for delay in _REOPEN_DELAYS:
            try:
                return super()._connect()
            except sqlite3.OperationalError as exc:
                if "database is locked" not in str(exc):
                    raise
                time.sleep(delay)
        return super()._connect()


_REOPEN_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2)


def init_database(settings: Settings) -> pw.Database:
    """Bind the proxy to the configured database (idempotent per settings)."""
    database = create_database(settings)
    db.initialize(database)
    return database


def ensure_database(settings: Settings) -> pw.Database:
    """Bind the proxy unless something (a test, the CLI) already did."""
    return db.obj if db.obj is not None else init_database(settings)


# Per server thread, the SQLite connection it keeps and the file it opened (device, inode).
_kept = threading.local()


def _file_identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


@contextmanager
def request_connection() -> Iterator[None]:
    """The connection one request runs on.

    PostgreSQL: taken from the pool for the request and handed back. SQLite: each server
    thread keeps its connection between requests (opening one cost about a third of a
    small request's CPU, docs/performance.md), and drops it when the file it opened is no
    longer the file at the database's path: a test or an operator that deletes and
    recreates the file, or puts another in its place, would otherwise leave the thread
    writing to a file nobody reads ("disk I/O error"). `econ restore` writes into the file
    through SQLite's backup API, which every open connection sees at its next statement.
    A request that ends inside a transaction (it cannot through peewee's atomic blocks;
    this is the belt) has it rolled back before the next request reuses the connection.
    """
    database = db.obj
    if not isinstance(database, pw.SqliteDatabase):
        with db.connection_context():
            yield
        return
    identity = _file_identity(database.database)
    if getattr(_kept, "key", None) != (id(database), identity) and not database.is_closed():
        database.close()
    if database.is_closed():
        database.connect()
        _kept.key = (id(database), identity)
    try:
        yield
    finally:
        if not database.is_closed() and database.connection().in_transaction:
            database.rollback()


class PreparedQuery:
    """A hot, fixed-shape query whose SQL peewee builds once per database class.

    Building a query's SQL costs peewee several times what SQLite or PostgreSQL then take
    to answer a one-row lookup (half a millisecond for a select of two models' columns),
    so the queries every request or every document runs are built once and executed with
    new parameters. `build` gets placeholders for the parameters (in order) and returns the
    peewee query; constants it binds itself stay as they were built. The query's shape
    must not depend on the parameters' values, and a parameter is passed to the driver as
    given: ints and strings (convert anything else with `field.db_value` first).
    """

    def __init__(self, build: Callable[..., pw.Query], arity: int = 1):
        self._build = build
        self._arity = arity
        self._built: dict[type, tuple[str, list, list[int], pw.Query]] = {}

    def _prepared(self) -> tuple[str, list, list[int], pw.Query]:
        kind = type(db.obj)
        built = self._built.get(kind)
        if built is None:
            markers = self._markers()
            query = self._build(*markers)
            text, bound = query.sql()
            slots = [bound.index(m) if bound.count(m) == 1 else -1 for m in markers]
            if -1 in slots:  # each parameter bound exactly once, as it was given
                raise RuntimeError(f"cannot prepare a query with parameters {bound!r}")
            self._built[kind] = built = (text, bound, slots, query)
        return built

    def _markers(self) -> list:
        return [f"\x00param{i}\x00" for i in range(self._arity)]

    def sql(self) -> str:
        return self._prepared()[0]

    def execute(self, *params: object) -> Sequence:
        text, bound, slots, _ = self._prepared()
        values = list(bound)
        for slot, value in zip(slots, params, strict=True):
            values[slot] = value
        return db.execute_sql(text, values)

    def rows(self, *params: object) -> list:
        """The rows as the built query gives them: model instances, with the joined models
        attached, for a model select; dicts or tuples where it asks for those. peewee turns
        a cursor into rows through the query's own cursor wrapper, which depends on what is
        selected, never on the parameters, so the one built with placeholders serves."""
        query = self._prepared()[3]
        return list(query._get_cursor_wrapper(self.execute(*params)))

    def first(self, *params: object) -> Any:
        """The first of `rows(*params)`, or None when there is none."""
        found = self.rows(*params)
        return found[0] if found else None


class PreparedShape:
    """`build(*args)` for a batch reader, its SQL built once per database class and
    shape of the arguments, then executed with new parameters (as `PreparedQuery`).

    An argument is either `Ids` (its count is part of the shape: a caseload of 50 asks
    with 50 placeholders), a parameter (int, str, date or datetime: bound as given, as
    peewee binds it), or a constant that is part of the shape (a tuple of statuses, a
    bool, None). peewee takes longer to build a batch query's SQL than SQLite takes to
    answer it, and a view runs a dozen of them. Past MANY ids in all the query is built as
    it comes (program-wide reads: no SQL text of thousands of placeholders kept); at most
    KEEP shapes are kept per reader. The first call of a shape checks its SQL and values
    against peewee's own for the same arguments; a shape where peewee converts a value is
    built on every call."""

    MANY = 200
    KEEP = 64

    def __init__(self, build: Callable[..., pw.Query]):
        self._build = build
        self._shapes: dict[tuple, Any] = {}  # (text, bound, slots, query) or _AS_IT_COMES

    def rows(self, *args: object) -> list:
        shape = self._shape(args)
        if shape is None:
            return list(self._build(*args))
        built = self._shapes.get(shape)
        if built is None:
            built = self._prepare(args)
            if len(self._shapes) >= self.KEEP:
                self._shapes.clear()
            self._shapes[shape] = built
        if built is _AS_IT_COMES:
            return list(self._build(*args))
        text, bound, slots, query = built
        return list(query._get_cursor_wrapper(db.execute_sql(text, _bind(bound, slots, args))))

    def _shape(self, args: tuple) -> tuple | None:
        shape: list = [type(db.obj)]
        count = 0
        for arg in args:
            if isinstance(arg, Ids):
                count += len(arg.values)
                shape.append(("ids", len(arg.values)))
            elif _is_param(arg):
                shape.append(type(arg))
            else:
                shape.append(("constant", arg))
        if count > self.MANY:
            return None
        try:
            hash(key := tuple(shape))
            return key
        except TypeError:  # a constant that cannot be a key (a list): built as it comes
            return None

    def _prepare(self, args: tuple) -> Any:
        markers: list = []
        built_args = []
        for arg in args:
            if isinstance(arg, Ids):
                marks = [_int_marker(len(markers) + i) for i in range(len(arg.values))]
                markers += marks
                built_args.append(Ids(marks))
            elif _is_param(arg):
                mark = _int_marker(len(markers)) if isinstance(arg, int) else _str_marker(markers)
                markers.append(mark)
                built_args.append(mark)
            else:
                built_args.append(arg)
        query = self._build(*built_args)
        text, bound = query.sql()
        slots = [[i for i, v in enumerate(bound) if type(v) is type(m) and v == m] for m in markers]
        if not all(slots):  # peewee converted a parameter: it would not be bound as given
            raise RuntimeError(f"cannot prepare a query with parameters {bound!r}")
        # The first call of each shape checks that peewee binds these values as given (a
        # DateField makes a datetime a date, a MoneyField multiplies): else never prepared.
        if (text, _bind(bound, slots, args)) != tuple(self._build(*args).sql()):
            return _AS_IT_COMES
        return text, bound, slots, query


_AS_IT_COMES: Any = object()  # a shape whose values peewee converts: built on every call


def _bind(bound: list, slots: list[list[int]], args: tuple) -> list:
    values = list(bound)
    for positions, value in zip(slots, _params(args), strict=True):
        for position in positions:
            values[position] = value
    return values


def _is_param(arg: object) -> bool:
    return isinstance(arg, int | str | dt.date) and not isinstance(arg, bool)


def _int_marker(index: int) -> int:
    return -(2**62) - index  # no id or count is this


def _str_marker(markers: list) -> str:
    return f"\x00param{len(markers)}\x00"


def _params(args: tuple) -> Iterator[object]:
    for arg in args:
        if isinstance(arg, Ids):
            yield from arg.values
        elif _is_param(arg):
            yield arg


class PreparedIn:
    """`build(Ids(ids))` for a batch reader, prepared per count of ids (`PreparedShape`):
    a page or a document asks for one participant's row, or for her caseload's 50."""

    FEW = 4  # counts up to here are certainly kept (KEEP is far above it)

    def __init__(self, build: Callable[[Ids], pw.Query]):
        self._shape = PreparedShape(build)

    def rows(self, ids: Sequence[int]) -> list:
        return self._shape.rows(Ids(ids))


class Ids(pw.Value):
    """A list of integer ids for `field.in_(Ids(ids))`, bound as parameters in one step.

    peewee turns each element of a plain list into a `Value` node and renders it on its
    own: for the 50 ids of a caseload that is several hundred microseconds per query,
    more than SQLite then takes to answer it, and the batch readers of a page run a dozen
    such queries. The SQL and parameters are the same as for the plain list.
    """

    def __init__(self, ids: Iterable[int]):
        values = tuple(int(i) for i in ids)
        super().__init__(values, unpack=False)  # no node per id
        self.multi = True
        self.values = values  # what peewee's empty-IN check ("0 = 1") looks at

    def __sql__(self, ctx: pw.Context) -> pw.Context:
        if ctx.state.value_literals:  # debug rendering with the values inlined
            return ctx.sql(pw.EnclosedNodeList([pw.Value(v) for v in self.values]))
        ctx._values.extend(self.values)
        return ctx.literal("(" + ", ".join([ctx.state.param or "?"] * len(self.values)) + ")")


def is_postgres() -> bool:
    return isinstance(db.obj, pw.PostgresqlDatabase)


def ping() -> None:
    """Raise if the database does not answer."""
    db.execute_sql("SELECT 1").fetchone()


def write_transaction() -> Any:
    """A transaction that takes the write lock at once (SQLite `BEGIN IMMEDIATE`).

    Use it for read-then-write rules (capacity, one live record per person): on SQLite a
    deferred transaction would read, then fail to upgrade its lock under concurrency. On
    PostgreSQL combine it with `for_update(query)` on the row that serialises the rule.
    Nested inside another transaction it is a savepoint (the outer lock already holds).
    """
    if isinstance(db.obj, pw.SqliteDatabase):
        return db.atomic(lock_type="IMMEDIATE")
    return db.atomic()


def for_update(query: pw.ModelSelect) -> pw.ModelSelect:
    """`SELECT ... FOR UPDATE` on PostgreSQL; SQLite's write lock already serialises."""
    return query.for_update() if is_postgres() else query
