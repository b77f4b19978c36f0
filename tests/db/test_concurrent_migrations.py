"""Four processes migrate one fresh database at the same moment: one applies, three wait.

Each child process binds its own connection, waits at a barrier, then calls `apply_all`,
as four web workers or `econ migrate` runs started together would.
"""

from __future__ import annotations

import multiprocessing
import uuid
from urllib.parse import urlparse, urlunparse

import psycopg2
import pytest

from econ.migrations import available
from tests.db.migrators import migrate_when_released

MIGRATORS = 4


def _migrate_at_once(environ: dict[str, str]) -> list[tuple[str, object]]:
    context = multiprocessing.get_context("spawn")  # no inherited connections
    barrier, results = context.Barrier(MIGRATORS), context.Queue()
    children = [
        context.Process(target=migrate_when_released, args=(environ, barrier, results))
        for _ in range(MIGRATORS)
    ]
    for child in children:
        child.start()
    outcomes = [results.get(timeout=240) for _ in children]
    for child in children:
        child.join(timeout=60)
        assert child.exitcode == 0
    return outcomes


def _assert_one_applied(outcomes: list[tuple[str, object]]) -> None:
    errors = [detail for kind, detail in outcomes if kind == "error"]
    assert errors == []
    applied = sorted((names for _, names in outcomes), key=len, reverse=True)
    assert applied[0] == available()
    assert applied[1:] == [[]] * (MIGRATORS - 1)


def _environ(**extra: str) -> dict[str, str]:
    return {
        "ECON_ENV": "test",
        "ECON_SECRET_KEY": "test-secret-key-0123456789-0123456789-abcdef",
        "ECON_DATABASE_URL": "",
        **extra,
    }


def test_four_migrators_on_a_fresh_sqlite_database(tmp_path):
    outcomes = _migrate_at_once(_environ(ECON_DATA_DIR=str(tmp_path)))
    _assert_one_applied(outcomes)


@pytest.fixture
def fresh_postgres(postgres_url):
    """A new, empty database on the test server, dropped afterwards."""
    name = f"econ_migrate_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(postgres_url)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunparse(urlparse(postgres_url)._replace(path=f"/{name}"))
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.postgres
def test_four_migrators_on_a_fresh_postgres_database(fresh_postgres, tmp_path):
    outcomes = _migrate_at_once(
        _environ(ECON_DATA_DIR=str(tmp_path), ECON_DATABASE_URL=fresh_postgres)
    )
    _assert_one_applied(outcomes)
    with psycopg2.connect(fresh_postgres) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM schema_migration")
        assert cursor.fetchone()[0] == len(available())
