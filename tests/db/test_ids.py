"""`econ.db.Ids`: the same SQL, parameters and rows as a plain list of ids."""

import peewee as pw

from econ.db import Ids

_DB = pw.SqliteDatabase(":memory:")


class Thing(pw.Model):
    name = pw.CharField()
    parent = pw.ForeignKeyField("self", null=True)

    class Meta:
        database = _DB


def _sql(query) -> tuple:
    return query.sql()


def test_same_sql_and_parameters_as_a_plain_list():
    ids = [5, 3, 9]
    plain = Thing.select().where(Thing.id.in_(ids))
    fast = Thing.select().where(Thing.id.in_(Ids(ids)))
    assert _sql(fast) == _sql(plain)
    assert _sql(fast)[1] == [5, 3, 9]


def test_postgres_placeholders():
    with pw.PostgresqlDatabase("unused").bind_ctx([Thing]):
        sql, params = Thing.select().where(Thing.parent.in_(Ids({7}))).sql()
    assert sql.endswith('"parent_id" IN (%s))')
    assert params == [7]


def test_empty_is_false_not_an_error():
    sql, params = Thing.select().where(Thing.id.in_(Ids([]))).sql()
    assert sql.endswith("WHERE (0 = 1)")
    assert params == []


def test_rows_are_the_same():
    with _DB.bind_ctx([Thing]):
        _DB.create_tables([Thing])
        for name in "abcde":
            Thing.create(name=name)
        wanted = (x for x in (2, 4, 99))  # any iterable
        rows = [t.name for t in Thing.select().where(Thing.id.in_(Ids(wanted))).order_by(Thing.id)]
        assert rows == ["b", "d"]
        none = list(Thing.select().where(Thing.id.not_in(Ids([]))))
        assert len(none) == 5


def test_only_integers():
    try:
        Ids(["1; DROP TABLE thing"])
    except ValueError:
        return
    raise AssertionError("a non-integer id was accepted")
