"""Faults inside one request or one task: the database connection dropped half-way, and a
full disk while a statement file is written. Nothing half-done is left behind, the caller
gets a clear error, and the next attempt succeeds."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from econ.config import get_settings
from econ.db import db
from econ.participants.models import Participant
from econ.security import audit
from econ.statements import services as statements
from econ.statements import storage
from econ.statements.models import Statement, StatementGeneration
from tests.support.cluster import Cluster
from tests.support.people import PASSWORD


def test_database_connection_dropped_mid_request(postgres_url, api, people, monkeypatch):
    with Cluster(postgres_url, "memory://", "hardening"):
        user, _ = people.counselor()
        token = api.login(user.email, PASSWORD)
        original = audit.record
        dropped = []

        def drop_then_record(*args, **kwargs):
            # The participant row is inserted, its transaction still open: the server
            # ends this connection right now, as a failover or a network cut would.
            if args[1:2] == ("create_participant",) and not dropped:
                dropped.append(True)
                db.execute_sql("SELECT pg_terminate_backend(pg_backend_pid())")
            return original(*args, **kwargs)

        monkeypatch.setattr(audit, "record", drop_then_record)
        body = api.post(
            'mutation { createParticipant(input: {preferredName: "Half"}) '
            "{ participant { id } errors { code } } }",
            None,
            token,
        )
        assert dropped
        assert body["_status"] in (200, 500)
        error = body["errors"][0]
        assert error["extensions"]["code"] == "INTERNAL" and "errorId" in error["extensions"]
        assert "Traceback" not in str(body) and "terminat" not in str(body)
        assert Participant.select().where(Participant.preferred_name == "Half").count() == 0
        # The next request gets a new connection and works.
        again = api.ok("createParticipant", {"preferredName": "Whole"}, "participant { id }",
                       token)  # fmt: skip
        assert again["participant"]["id"]


@pytest.fixture
def full_disk(monkeypatch):
    """fsync fails with ENOSPC, as on a full volume (a tmpfs would need root)."""

    def no_space(_fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(storage.os, "fsync", no_space)
    return monkeypatch


def _files(root: Path) -> set[str]:
    return {str(p) for p in root.rglob("*") if p.is_file()}


def test_full_disk_while_writing_a_statement_leaves_nothing_half_done(people, full_disk):
    _, counselor = people.counselor()
    participant = people.participant(counselor)
    root = Path(get_settings().data_dir) / storage.ROOT
    before = _files(root)
    with pytest.raises(OSError) as failure:
        statements.generate(participant.id, "2026-01")
    assert failure.value.errno == errno.ENOSPC  # a clear cause for the task's failure
    assert _files(root) == before  # no torn or temp file
    assert list(statements.list_statements(counselor, participant)) == []  # none to read
    assert StatementGeneration.select().count() == 0
    full_disk.undo()  # space freed: the same call (a task retry) now succeeds once
    statement = statements.generate(participant.id, "2026-01")
    assert statement.version == 1
    assert storage.sha256(storage.read(statement.path)) == statement.sha256
    assert Statement.select().count() == 1
