"""The request path's connection handling and prepared lookups (econ/db.py).

A SQLite server thread keeps its connection (a new one when the file is replaced), a
PostgreSQL request hands its connection back to the pool, and a prepared query must
answer exactly what the peewee query it was built from answers.
"""

from __future__ import annotations

import sqlite3
import threading

import peewee as pw
import pytest

from econ.db import PreparedIn, PreparedQuery, db, is_postgres, request_connection, utcnow
from econ.security.models import Session, User
from econ.settings import services as settings
from econ.settings.models import ProgramSetting
from tests.support.people import PASSWORD


def _in_thread(fn):
    """Run fn in a fresh thread (its own thread-local connection), return its result."""
    box: dict = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as exc:  # re-raised in the test's thread
            box["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(30)
    if "error" in box:
        raise box["error"]
    return box.get("value")


def test_postgresql_requests_hand_their_connection_back_to_the_pool():
    if not is_postgres():
        pytest.skip("PostgreSQL only: a SQLite server thread keeps its connection")

    def one_request():
        with request_connection():
            db.execute_sql("SELECT 1")
            opened = not db.is_closed()
        return opened, db.is_closed()

    assert _in_thread(one_request) == (True, True)


def _sqlite_only():
    if is_postgres():
        pytest.skip("SQLite only")


def test_a_sqlite_server_thread_keeps_its_connection_between_requests():
    _sqlite_only()

    def two_requests():
        with request_connection():
            first = db.connection()
        with request_connection():
            second = db.connection()
        still_open = not db.is_closed()
        db.close()
        return first is second, still_open

    assert _in_thread(two_requests) == (True, True)


def test_a_new_file_at_the_database_path_gets_a_new_connection(tmp_path):
    """A kept connection to a file that was replaced would write where nobody reads."""
    _sqlite_only()
    original = db.obj
    path = tmp_path / "replaced.db"
    database = pw.SqliteDatabase(str(path))
    db.initialize(database)
    try:

        def replace_between_requests():
            with request_connection():
                db.execute_sql("CREATE TABLE t (v INTEGER)")
                db.execute_sql("INSERT INTO t VALUES (1)")
                before = db.connection()
            path.unlink()
            fresh = sqlite3.connect(path)
            fresh.execute("CREATE TABLE t (v INTEGER)")
            fresh.execute("INSERT INTO t VALUES (2)")
            fresh.commit()
            fresh.close()
            with request_connection():
                value = db.execute_sql("SELECT v FROM t").fetchone()[0]
                after = db.connection()
            db.close()
            return value, before is after

        assert _in_thread(replace_between_requests) == (2, False)
    finally:
        db.initialize(original)


def test_a_request_never_hands_an_open_transaction_to_the_next():
    _sqlite_only()

    def leaves_one_open():
        with request_connection():
            db.execute_sql("BEGIN")
            db.execute_sql("SELECT 1")
        with request_connection():
            open_after = db.connection().in_transaction
        db.close()
        return open_after

    assert _in_thread(leaves_one_open) is False


def test_prepared_query_answers_like_the_peewee_query(people):
    admin, _ = people.admin()
    lookup = PreparedQuery(lambda email: User.select(User.id).where(User.email == email))
    expected = User.get(User.email == admin.email).id
    assert lookup.execute(admin.email).fetchone() == (expected,)
    assert lookup.execute("nobody@example.org").fetchone() is None
    assert lookup.first(admin.email).id == expected and lookup.first("nobody@example.org") is None
    # Parameters are bound, never spliced into the SQL text.
    assert lookup.execute("x' OR '1'='1").fetchone() is None
    assert "x' OR" not in lookup.sql()


def test_prepared_query_keeps_the_constants_it_was_built_with(people):
    admin, _ = people.admin()
    counselor, _ = people.counselor()
    admins = PreparedQuery(
        lambda email: User.select(User.id).where((User.email == email) & (User.role == "ADMIN"))
    )
    assert admins.execute(admin.email).fetchone() == (admin.id,)
    assert admins.execute(counselor.email).fetchone() is None  # "ADMIN" still bound


def test_prepared_query_refuses_a_parameter_it_cannot_place():
    twice = PreparedQuery(
        lambda email: User.select(User.id).where((User.email == email) | (User.email == email))
    )
    unused = PreparedQuery(lambda email: User.select(User.id), arity=1)
    for lookup in (twice, unused):
        with pytest.raises(RuntimeError):
            lookup.sql()


def test_prepared_rows_are_the_models_peewee_gives_with_their_joins(people):
    admin, _ = people.admin()
    counselor, _ = people.counselor()
    by_role = PreparedQuery(
        lambda role: Session.select(Session, User).join(User).where(User.role == role)
    )
    for user in (admin, counselor):
        Session.create(user=user.id, token_hash=f"hash-{user.id}", expires_at=utcnow())
    for role, user in (("ADMIN", admin), ("COUNSELOR", counselor)):
        expected = list(Session.select(Session, User).join(User).where(User.role == role))
        found = by_role.rows(role)
        assert [s.id for s in found] == [s.id for s in expected] and found
        assert all(isinstance(s, Session) and s.user.email == user.email for s in found)
        assert found[0].__data__ == expected[0].__data__


def test_setting_reads_the_stored_value_or_the_default():
    default = settings.setting("currency")
    ProgramSetting.create(key="currency", value="CHF")
    assert settings.setting("currency") == "CHF"
    ProgramSetting.delete().execute()
    assert settings.setting("currency") == default


def test_me_over_http_is_the_row_the_session_lookup_loaded(api, people):
    from econ.security import services as security

    user, _ = people.counselor()
    token, _ = security.login(user.email, PASSWORD)
    me = api.post("{ me { id email role displayName workPhone active } }", None, token)
    assert me["data"]["me"] == {
        "id": str(user.id),
        "email": user.email,
        "role": "COUNSELOR",
        "displayName": user.display_name,
        "workPhone": "",
        "active": True,
    }
    User.update(active=False).where(User.id == user.id).execute()
    assert api.post("{ me { id } }", None, token)["data"]["me"] is None


def test_prepared_in_reads_the_same_rows_for_any_count_of_ids(people):
    users = [people.admin()[0], people.counselor()[0], people.finance()[0]]
    users += [people.counselor()[0] for _ in range(PreparedIn.FEW)]
    by_id = PreparedIn(lambda ids: User.select().where(User.id.in_(ids)).order_by(User.id))
    for count in (1, 2, PreparedIn.FEW, PreparedIn.FEW + 1, len(users)):
        ids = [u.id for u in users[-count:]]
        assert [u.id for u in by_id.rows(ids)] == sorted(ids)
    assert by_id.rows([10**9]) == []  # an id that no row has
