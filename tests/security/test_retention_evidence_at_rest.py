"""Retention evidence is sealed at rest and its reads are in her "who read my data"
(issue 14, the rest of item 4).

Before: a counselor's evidence ("called her on +34 ... at 12 Canary Street") was stored in
plaintext in `retention_checkpoint.evidence`, and reading it wrote no audit entry.
m0023 seals the rows an existing database already holds.
"""

from __future__ import annotations

from econ.db import db, is_postgres
from econ.employers import services as employers
from econ.employers.models import RetentionCheckpoint
from econ.migrations import MIGRATION_TABLE, apply_all
from econ.security.crypto import decrypt, is_sealed
from econ.security.models import AuditEntry
from tests.employers.conftest import world  # noqa: F401  (the `world` fixture)
from tests.security.test_employer_and_admin_reach import PLACEMENT, _hired_long_ago
from tests.support.people import PASSWORD

CANARY = "called her on +34 600 123 456 at 12 Canary Street"


def _raw_evidence(checkpoint_id: int) -> str:
    sql = f'SELECT "evidence" FROM "retention_checkpoint" WHERE "id" = {db.param}'
    return db.execute_sql(sql, (checkpoint_id,)).fetchone()[0]


def _thirty_day(placement) -> RetentionCheckpoint:
    return employers.checkpoints_for([placement.id])[placement.id][0]


def test_evidence_is_sealed_and_her_counselors_read_is_logged(api, people, world):  # noqa: F811
    her, _, placement = _hired_long_ago(people, world)
    checkpoint = _thirty_day(placement)
    employers.confirm_retention(world.counselor, checkpoint.id, "CONFIRMED_EMPLOYED", CANARY)
    stored = _raw_evidence(checkpoint.id)
    assert is_sealed(stored) and "Canary" not in stored
    assert decrypt(stored, f"retention.evidence.{checkpoint.id}") == CANARY
    before = AuditEntry.select().count()
    coach = api.login(world.counselor_user.email, PASSWORD)
    seen = api.query(PLACEMENT, {"id": str(placement.id)}, coach)["placement"]
    assert seen["retentionCheckpoints"][0]["evidence"] == CANARY
    reads = list(
        AuditEntry.select().where(
            (AuditEntry.action == "read_restricted")
            & (AuditEntry.record_type == "RetentionCheckpoint")
        )
    )
    assert AuditEntry.select().count() > before
    assert [(r.participant_id, r.fields) for r in reads] == [(her.id, "evidence")]


def test_m0023_seals_the_evidence_an_existing_database_holds(people, world):  # noqa: F811
    _, _, placement = _hired_long_ago(people, world)
    checkpoint = _thirty_day(placement)
    # The database as m0022 left it: a VARCHAR(500) column holding plaintext.
    if is_postgres():
        db.execute_sql(
            'ALTER TABLE "retention_checkpoint" ALTER COLUMN "evidence" TYPE VARCHAR(500)'
        )
    update = f'UPDATE "retention_checkpoint" SET "evidence" = {db.param} WHERE "id" = {db.param}'
    db.execute_sql(update, (CANARY, checkpoint.id))
    db.execute_sql(f'DELETE FROM "{MIGRATION_TABLE}" WHERE "name" LIKE {db.param}', ("m0023_%",))
    assert apply_all() == ["m0023_retention_evidence_sealed"]
    stored = _raw_evidence(checkpoint.id)
    assert is_sealed(stored) and "Canary" not in stored
    assert employers.evidence_for(world.counselor, RetentionCheckpoint.get_by_id(checkpoint.id))
    assert decrypt(stored, f"retention.evidence.{checkpoint.id}") == CANARY
    empty = [c for c in employers.checkpoints_for([placement.id])[placement.id][1:]]
    assert [_raw_evidence(c.id) for c in empty] == ["", ""]  # nothing to seal stays empty
    if is_postgres():
        column = {c.name: c for c in db.get_columns("retention_checkpoint")}["evidence"]
        assert column.data_type == "text"
