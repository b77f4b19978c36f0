"""Payment files hold payees' legal names and IBANs: the database keeps them encrypted, in
chunks sealed on their own (issue 21 item 3: a 100,000-line file is never held whole to
be stored), and a file is served only when its chunks are the file that was written."""

from __future__ import annotations

import hashlib

import pytest
from cryptography.exceptions import InvalidTag

from econ.db import db, is_postgres
from econ.migrations import MIGRATION_TABLE, apply_all
from econ.security.crypto import decrypt, encrypt, is_sealed
from econ.stipends import adapters
from econ.stipends import services as stipends
from econ.stipends.file_store import (
    ChunkedFileWriter,
    IncompleteFile,
    chunk_context,
    read_content,
)
from econ.stipends.models import PaymentFile, PaymentFileChunk, PaymentRun
from tests.stipends.conftest import World

# Names with characters of two, three and four bytes, so that chunk ends fall inside them.
TEXT = "".join(f"<Nm>Payee Ünïcode 日本 𝄞 {i}</Nm>\n" for i in range(2000)).encode()


def _chunks(file_id: int) -> list[tuple[int, str]]:
    query = PaymentFileChunk.select(PaymentFileChunk.number, PaymentFileChunk.content)
    return list(
        query.where(PaymentFileChunk.file == file_id).order_by(PaymentFileChunk.number).tuples()
    )


def _disbursed(people) -> PaymentFile:
    world = World(people)
    payee = world.participant(legal_name="Sealed Payee", bank_account="FR1420041010050500013M02606")
    world.schedule(payee)
    world.disburse(world.approve(world.calculate("2026-01")))
    return PaymentFile.get()


def _store(file: PaymentFile, chunk_bytes: int) -> ChunkedFileWriter:
    """TEXT written into `file` in writes of 1,001 bytes (they cut characters too)."""
    writer = ChunkedFileWriter(file.id, chunk_bytes)
    PaymentFileChunk.delete().where(PaymentFileChunk.file == file.id).execute()
    for start in range(0, len(TEXT), 1001):
        writer.write(TEXT[start : start + 1001])
    file.sha256 = writer.close()
    file.save()
    return writer


def test_payment_file_content_is_sealed_in_the_database(people):
    file = _disbursed(people)
    stored = db.execute_sql("SELECT content FROM payment_file_chunk").fetchall()
    assert stored  # one bank transfer file, in one chunk at this size
    raw = " ".join(row[0] for row in stored)
    assert "Sealed Payee" not in raw and "FR1420041010050500013M02606" not in raw
    assert "<?xml" not in raw and all(is_sealed(row[0]) for row in stored)
    content = read_content(file)
    assert content.startswith("<?xml") and "Sealed Payee" in content
    assert file.sha256 == hashlib.sha256(content.encode()).hexdigest()


def test_a_file_stored_in_chunks_reads_back_as_it_was_written(people):
    file = _disbursed(people)
    _store(file, chunk_bytes=4096)
    chunks = _chunks(file.id)
    assert [number for number, _ in chunks] == list(range(len(chunks)))
    sizes = [len(decrypt(c, chunk_context(file.id, n)).encode()) for n, c in chunks]
    assert all(4096 - 3 <= size <= 4096 for size in sizes[:-1]) and 0 < sizes[-1] <= 4096
    assert read_content(file).encode() == TEXT
    assert file.sha256 == hashlib.sha256(TEXT).hexdigest()
    # Each chunk is whole text (it decrypted above), sealed for its file and place only.
    with pytest.raises(InvalidTag):
        decrypt(chunks[1][1], chunk_context(file.id, 0))
    with pytest.raises(InvalidTag):
        decrypt(chunks[0][1], chunk_context(file.id + 1, 0))


@pytest.mark.parametrize("damage", ["last chunk gone", "a middle chunk gone", "two swapped"])
def test_a_file_whose_chunks_are_not_all_there_is_refused(people, damage):
    file = _disbursed(people)
    _store(file, chunk_bytes=4096)
    chunks = PaymentFileChunk.select().where(PaymentFileChunk.file == file.id)
    last = chunks.order_by(PaymentFileChunk.number.desc()).first()
    if damage == "last chunk gone":
        last.delete_instance()
    elif damage == "a middle chunk gone":
        chunks.where(PaymentFileChunk.number == 3).get().delete_instance()
    else:  # resealed in each other's place: each opens, the file is not the one written
        one, two = (chunks.where(PaymentFileChunk.number == n).get() for n in (1, 2))
        texts = [decrypt(c.content, chunk_context(file.id, c.number)) for c in (one, two)]
        one.content = encrypt(texts[1], chunk_context(file.id, 1))
        two.content = encrypt(texts[0], chunk_context(file.id, 2))
        one.save(), two.save()
    with pytest.raises(IncompleteFile):
        read_content(file)


def test_an_export_that_fails_half_way_leaves_no_file_and_no_chunk(people, monkeypatch):
    world = World(people)
    for n in range(3):
        world.schedule(world.participant(legal_name=f"Half Way {n}"))
    run = world.approve(world.calculate("2026-01"))
    write = adapters.SepaAdapter.write

    def fails_after_a_chunk(self, out, batch, payees) -> None:
        out.chunk_bytes = 64  # every write stores chunks at once
        write(self, out, batch, payees)
        assert PaymentFileChunk.select().count() > 1  # chunks were in the database
        raise RuntimeError("the worker died here")

    monkeypatch.setattr(adapters.SepaAdapter, "write", fails_after_a_chunk)
    stipends.disburse_run(world.finance, run.id, "SEPA", run_tasks=False)
    assert stipends.export_run(run.id) == "failed"
    failed = PaymentRun.get_by_id(run.id)
    assert failed.state == "APPROVED" and "the worker died here" in failed.job_error
    assert PaymentFile.select().count() == 0 and PaymentFileChunk.select().count() == 0
    monkeypatch.setattr(adapters.SepaAdapter, "write", write)
    world.disburse(PaymentRun.get_by_id(run.id))
    assert "Half Way 2" in read_content(PaymentFile.get())


def test_m0028_moves_the_files_an_existing_database_holds_into_chunks(people):
    file = _disbursed(people)
    written = read_content(file)
    legacy = PaymentFile.create(  # a file from before files were sealed: plaintext
        run=file.run_id, method="CASH", batch=1, format="CASH_LIST", filename="old.txt",
        sha256=hashlib.sha256(b"Cash list\r\n").hexdigest(), count=1, total=file.total,
    )  # fmt: skip
    # The database as m0026 left it: the content in payment_file, sealed as one value.
    db.execute_sql('DROP TABLE "payment_file_chunk"')
    db.execute_sql('ALTER TABLE "payment_file" ADD COLUMN "content" TEXT NOT NULL DEFAULT \'\'')
    update = f'UPDATE "payment_file" SET "content" = {db.param} WHERE "id" = {db.param}'
    db.execute_sql(update, (encrypt(written, "payment_file.content"), file.id))
    db.execute_sql(update, ("Cash list\r\n", legacy.id))
    db.execute_sql(f'DELETE FROM "{MIGRATION_TABLE}" WHERE "name" LIKE {db.param}', ("m0028_%",))
    assert apply_all() == ["m0028_payment_file_chunks"]
    assert "content" not in {c.name for c in db.get_columns("payment_file")}
    assert read_content(PaymentFile.get_by_id(file.id)) == written  # its SHA-256 unchanged
    assert read_content(PaymentFile.get_by_id(legacy.id)) == "Cash list\r\n"
    (number, sealed), = _chunks(legacy.id)  # fmt: skip
    assert number == 0 and is_sealed(sealed) and "Cash" not in sealed
    if is_postgres():  # the table as the migration creates it, with its unique index
        assert ("file_id", "number") in {
            tuple(i.columns) for i in db.get_indexes("payment_file_chunk") if i.unique
        }
