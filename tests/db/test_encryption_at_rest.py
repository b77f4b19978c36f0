"""No restricted value of a participant is stored in plaintext (SQLite file, PostgreSQL rows)."""

from __future__ import annotations

import glob

import pytest
from cryptography.exceptions import InvalidTag

from econ.db import db, is_postgres
from econ.participants.models import ParticipantPII
from econ.security.crypto import decrypt
from tests.support.files import live_file_bytes

CANARIES = ["Zanzibar Quetzal Legalname", "+34 699 314 159", "ES7620770024003102575766"]


def _seed(people):
    _, counselor = people.counselor()
    return people.participant(
        counselor,
        legal_name=CANARIES[0],
        phone=CANARIES[1],
        bank_account=CANARIES[2],
        address="7 Hidden Lane, Sevilla",
    )


def test_sqlite_file_holds_no_plaintext_pii(people):
    if is_postgres():
        pytest.skip("this run uses PostgreSQL; see the PostgreSQL variant")
    _seed(people)
    db.execute_sql("PRAGMA wal_checkpoint(FULL)")
    path = db.database
    blobs = live_file_bytes(sorted(glob.glob(path + "*")))  # never our own descriptors
    assert len(blobs) > 0
    for canary in [*CANARIES, "Hidden Lane"]:
        assert canary.encode() not in blobs, canary


def test_postgres_rows_hold_no_plaintext_pii(people):
    if not is_postgres():
        pytest.skip("this run uses SQLite; see the SQLite variant")
    _seed(people)
    dump = []
    for table in db.get_tables():
        for row in db.execute_sql(f'SELECT * FROM "{table}"').fetchall():
            dump.append(repr(row))
    text = "\n".join(dump)
    for canary in [*CANARIES, "Hidden Lane"]:
        assert canary not in text, canary


def test_ciphertext_is_bound_to_its_row_and_column(people):
    person = _seed(people)
    row = ParticipantPII.get(ParticipantPII.participant == person.id)
    assert decrypt(row.legal_name, f"participant_pii.legal_name.{person.id}") == CANARIES[0]
    with pytest.raises(InvalidTag):  # copied into another column or row: refuses to decrypt
        decrypt(row.legal_name, f"participant_pii.phone.{person.id}")
    with pytest.raises(InvalidTag):
        decrypt(row.legal_name, f"participant_pii.legal_name.{person.id + 1}")
