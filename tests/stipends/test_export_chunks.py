"""A run's export in chunk tasks (econ/stipends/export_chunks.py): each chunk prepares its
lines once, in any order and however often it is delivered; the files are byte for byte
the single task's (disbursement.export_run) for the same data; a held line is in no file
and no attempt is in two. Runs on SQLite and on PostgreSQL (the session database)."""

from __future__ import annotations

import random
import threading
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schwifty import IBAN

from econ.db import db, is_postgres
from econ.ledger.models import JournalEntry
from econ.ledger.services import unbalanced_entries
from econ.security.audit import verify_chain
from econ.stipends import adapters, disbursement, export_chunks
from econ.stipends import services as stipends
from econ.stipends.models import (
    PaymentAttempt,
    PaymentExportChunk,
    PaymentFile,
    PaymentLine,
    PaymentRun,
)
from tests.conftest import truncate_all
from tests.stipends.conftest import World
from tests.support.people import unique_iban

PERIOD = "2026-01"
NOON = datetime(2026, 2, 2, 12, 0, 0)

# Who is paid how: each kind of line an export meets (a hold, a name no SEPA file can
# carry, a BIC, card and cash, a non-Latin name).
KINDS = ("transfer", "no_account", "emoji", "swiss", "card", "cash", "cyrillic")


@pytest.fixture(autouse=True)
def _same_header(monkeypatch):
    """The header's creation time and message id are the only parts of a file that are
    not of the data: fixed, so two exports of the same data can be compared."""
    monkeypatch.setattr(adapters, "utcnow", lambda: NOON)
    monkeypatch.setattr(adapters, "installation_id", lambda: "TESTINST")


@pytest.fixture(autouse=True)
def _fresh_owners():
    """Each test's rounds are named alike ("task-1"): none sees another's shared IBANs."""
    export_chunks._OWNERS.clear()
    yield
    export_chunks._OWNERS.clear()


def _specs(kinds: list[str]) -> list[tuple[str, str, str]]:
    """(kind, IBAN, amount) for each payee: drawn once, enrolled twice."""
    return [(k, unique_iban(), f"{600 + 37 * i}.{i % 100:02d}") for i, k in enumerate(kinds)]


def _enrol(world: World, specs: list[tuple[str, str, str]]) -> None:
    for i, (kind, iban, amount) in enumerate(specs):
        fields = {"legal_name": f"Payee Number{i}", "bank_account": iban}
        if kind == "no_account":
            fields["bank_account"] = None
        elif kind == "emoji":
            fields |= {"legal_name": "🌸🌸", "preferred_name": "🌸"}
        elif kind == "swiss":
            swiss = IBAN.generate("CH", bank_code="00762", account_code=str(1000 + i))
            fields |= {"bank_account": str(swiss), "bank_bic": "UBSWCHZH80A"}
        elif kind == "cyrillic":
            fields["legal_name"] = f"Olga Ольга Смирнова{i}"
        p = world.participant(**fields)
        world.schedule(p, amount=amount)
        if kind == "card":
            stipends.set_payment_method(world.finance, p.id, "PREPAID_CARD", f"CARD-{i:04d}")
        elif kind == "cash":
            stipends.set_payment_method(world.finance, p.id, "CASH")


def _approved_run(people, specs, file_format: str) -> PaymentRun:
    truncate_all()
    world = World(people)
    _enrol(world, specs)
    run = world.approve(world.calculate(PERIOD))
    return stipends.disburse_run(world.finance, run.id, file_format, run_tasks=False)


def _outcome(run_id: int) -> tuple:
    """What an export decided: each file's name, count, total and SHA-256, each line's
    status and reason, each attempt's reference, status and file."""
    files = sorted(
        (f.filename, f.count, str(f.total), f.sha256)
        for f in PaymentFile.select().where(PaymentFile.run == run_id)
    )
    lines = sorted(
        (line.id, line.status, line.exception or "", line.method)
        for line in PaymentLine.select().where(PaymentLine.run == run_id)
    )
    names = {f.id: f.filename for f in PaymentFile.select()}
    attempts = sorted(
        (a.reference, a.status, names.get(a.file_id)) for a in PaymentAttempt.select()
    )
    run = PaymentRun.get_by_id(run_id)
    # Not job_done: the single task counts the lines it wrote (held ones never), the
    # chunks every line they took, so that progress ends at job_total.
    job = (run.state, run.job_status, run.job_error, run.job_total)
    return files, lines, attempts, job, JournalEntry.select().count()


def _deliver(run_id: int, size: int, order: random.Random) -> list[str]:
    """The chunks planned, then delivered shuffled, some twice, each followed by a
    finish as the chunk task does; the planner's message delivered twice too."""
    run = PaymentRun.get_by_id(run_id)
    round_, pending = export_chunks.plan(run_id, "task-1", size)
    assert export_chunks.plan(run_id, round_, size) == (round_, pending)  # redelivered
    assert export_chunks.plan(run_id, "task-9", size) == (round_, pending)  # sent again
    deliveries = pending + order.sample(pending, k=len(pending) // 2)
    order.shuffle(deliveries)
    outcomes = [export_chunks.export_chunk(run.id, round_, n) for n in deliveries]
    outcomes.append(export_chunks.export_chunk(run.id, round_, pending[0]))  # after the end
    return outcomes


def _invariants(run_id: int) -> None:
    """No line has two live attempts, no attempt is in two files (nor a file and a
    hold), a held line is in no file, the files carry their attempts' totals."""
    live = {}
    for a in PaymentAttempt.select().where(PaymentAttempt.status.in_(("CREATED", "EXPORTED"))):
        assert a.line_id not in live, f"line {a.line_id} has two live attempts"
        live[a.line_id] = a
    for line in PaymentLine.select().where(PaymentLine.run == run_id):
        attempt = live.get(line.id)
        if line.status == "HELD":
            assert attempt is None
        if line.status == "SENT":
            assert attempt is not None and attempt.status == "EXPORTED" and attempt.file_id
    for f in PaymentFile.select().where(PaymentFile.run == run_id):
        carried = [a for a in live.values() if a.file_id == f.id]
        assert (f.count, f.total) == (len(carried), sum(a.amount for a in carried))
    assert not unbalanced_entries()
    run = PaymentRun.get_by_id(run_id)
    if run.job_status == "DONE":
        assert run.job_done == run.job_total


@pytest.mark.parametrize("file_format", ["SEPA", "CSV"])
def test_the_chunked_export_writes_the_single_tasks_files(people, file_format):
    specs = _specs([KINDS[i % len(KINDS)] for i in range(17)])
    run = _approved_run(people, specs, file_format)
    assert disbursement.export_run(run.id) == "done"
    single = _outcome(run.id)
    assert len(single[0]) == 3 and any(s == "HELD" for _, s, _, _ in single[1])
    run = _approved_run(people, specs, file_format)
    outcomes = _deliver(run.id, 3, random.Random(7))
    assert outcomes.count("done") == 1 and outcomes[-1] == "stale"
    assert _outcome(run.id) == single
    _invariants(run.id)


@pytest.mark.timeout(900)
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(st.sampled_from(KINDS), min_size=1, max_size=9),
    st.integers(1, 4),
    st.randoms(use_true_random=False),
    st.sampled_from(["SEPA", "CSV"]),
)
def test_property_any_delivery_order_gives_the_single_tasks_files(
    people, kinds, size, order, file_format
):
    specs = _specs(kinds)
    run = _approved_run(people, specs, file_format)
    assert disbursement.export_run(run.id) == "done"
    single = _outcome(run.id)
    run = _approved_run(people, specs, file_format)
    _deliver(run.id, size, order)
    assert _outcome(run.id) == single
    _invariants(run.id)


def test_a_worker_killed_mid_chunk_leaves_nothing_and_the_redelivery_does_it(people, monkeypatch):
    run = _approved_run(people, _specs(["transfer", "no_account", "card", "transfer"]), "SEPA")
    assert export_chunks.plan(run.id, "task-1", 2) == ("task-1", [1, 2])
    before = _outcome(run.id)
    real = export_chunks.prepare_lines

    def killed(*args):
        real(*args)  # its holds and attempts written, then the worker dies
        raise SystemExit("killed")

    monkeypatch.setattr(export_chunks, "prepare_lines", killed)
    with pytest.raises(SystemExit):
        export_chunks.run_chunk(run.id, "task-1", 1)
    monkeypatch.undo()
    assert _outcome(run.id) == before and PaymentAttempt.select().count() == 0
    chunk = PaymentExportChunk.get(PaymentExportChunk.number == 1)
    assert (chunk.state, PaymentRun.get_by_id(run.id).job_done) == ("PENDING", 0)
    assert export_chunks.export_chunk(run.id, "task-1", 2) == export_chunks.WAITING
    # progress: the lines of the chunks done (the line without an account was held
    # by the calculation: 3 payable lines, 2 in chunk 1, 1 in chunk 2)
    assert PaymentRun.get_by_id(run.id).job_done == 1
    assert PaymentFile.select().count() == 0  # no file before every chunk is done
    assert export_chunks.export_chunk(run.id, "task-1", 1) == "done"
    done = PaymentRun.get_by_id(run.id)
    assert (done.job_status, done.job_done, done.job_total) == ("DONE", 3, 3)
    assert PaymentFile.select().count() == 2
    _invariants(run.id)


def test_a_line_held_between_its_chunk_and_the_files_is_in_no_file(people):
    run = _approved_run(people, _specs(["transfer", "transfer", "transfer"]), "SEPA")
    assert export_chunks.plan(run.id, "task-1", 2) == ("task-1", [1, 2])
    assert export_chunks.run_chunk(run.id, "task-1", 1) == "done"
    first = PaymentLine.select().order_by(PaymentLine.id).first()
    PaymentLine.update(status="HELD").where(PaymentLine.id == first.id).execute()
    assert export_chunks.export_chunk(run.id, "task-1", 2) == "done"
    file = PaymentFile.get()
    assert file.count == 2
    assert PaymentAttempt.get(PaymentAttempt.line == first.id).file_id is None
    assert PaymentLine.get_by_id(first.id).status == "HELD"


def test_a_planner_sent_again_takes_the_running_round_and_other_rounds_do_nothing(people):
    run = _approved_run(people, _specs(["transfer", "card"]), "SEPA")
    assert export_chunks.plan(run.id, "task-1", 1) == ("task-1", [1, 2])
    assert export_chunks.plan(run.id, "task-2", 1) == ("task-1", [1, 2])  # task-1's job
    assert export_chunks.run_chunk(run.id, "task-2", 1) == "stale"
    assert PaymentAttempt.select().count() == 0
    assert export_chunks.export_run(run.id, "task-1", 1) == "done"
    assert export_chunks.plan(run.id, "task-1", 1) is None  # finished: a late planner
    assert export_chunks.finish(run.id, "task-1") == "stale"
    assert PaymentFile.select().count() == 2


def test_a_failing_first_chunk_returns_the_run_to_approved(people, monkeypatch):
    run = _approved_run(people, _specs(["transfer", "transfer"]), "SEPA")
    monkeypatch.setattr(export_chunks, "prepare_lines", lambda *a: 1 / 0)
    assert export_chunks.export_run(run.id, "task-1", 1) == "failed"
    failed = PaymentRun.get_by_id(run.id)
    assert (failed.state, failed.job_status) == ("APPROVED", "FAILED")
    assert "ZeroDivisionError" in failed.job_error
    assert export_chunks.run_chunk(run.id, "task-1", 2) == "stale"


def test_a_chunk_failing_after_others_keeps_the_run_disbursing_to_restart(people, monkeypatch):
    run = _approved_run(people, _specs(["transfer", "transfer"]), "SEPA")
    assert export_chunks.plan(run.id, "task-1", 1) == ("task-1", [1, 2])
    assert export_chunks.export_chunk(run.id, "task-1", 1) == export_chunks.WAITING
    monkeypatch.setattr(export_chunks, "prepare_lines", lambda *a: 1 / 0)
    assert export_chunks.export_chunk(run.id, "task-1", 2) == "failed"
    monkeypatch.undo()
    failed = PaymentRun.get_by_id(run.id)
    assert (failed.state, failed.job_status) == ("DISBURSING", "FAILED")
    stipends.disburse_run(people.finance()[1], run.id, "SEPA", run_tasks=False)
    assert export_chunks.export_run(run.id, "task-2", 1) == "done"
    assert PaymentFile.get().count == 2
    _invariants(run.id)


def test_chunks_on_many_connections_at_once(people):
    """PostgreSQL: four threads (each a connection, like four workers) take every chunk,
    each delivered twice, at the same time; each line gets one attempt, one file."""
    if not is_postgres():
        pytest.skip("SQLite writes one transaction at a time")
    run = _approved_run(people, _specs([KINDS[i % len(KINDS)] for i in range(24)]), "SEPA")
    _, pending = export_chunks.plan(run.id, "task-1", 2)
    queue = pending * 2
    random.Random(3).shuffle(queue)
    lock, outcomes = threading.Lock(), []

    def worker():
        with db.connection_context():
            while True:
                with lock:
                    if not queue:
                        return
                    number = queue.pop()
                outcome = export_chunks.export_chunk(run.id, "task-1", number)
                with lock:
                    outcomes.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert outcomes.count("done") == 1 and "failed" not in outcomes
    assert PaymentFile.select().count() == 3
    assert PaymentRun.get_by_id(run.id).job_status == "DONE"
    _invariants(run.id)


def test_a_chunk_in_flight_does_not_hold_another_chunk_back(people, monkeypatch):
    """PostgreSQL: while one chunk's transaction is still open (its payee reads audited,
    its lines prepared), a second chunk of the run prepares its own lines and commits;
    the audit trail's head is locked only at the end of each (audit.appended_last)."""
    if not is_postgres():
        pytest.skip("SQLite writes one transaction at a time")
    run = _approved_run(people, _specs(["transfer"] * 4), "SEPA")
    _, pending = export_chunks.plan(run.id, "task-1", 2)
    assert len(pending) == 2
    first_prepared, second_done = threading.Event(), threading.Event()
    real = export_chunks.prepare_lines
    outcomes: dict[str, object] = {}

    def prepare_then_wait(*args, **kwargs):
        real(*args, **kwargs)
        if threading.current_thread().name == "first":
            first_prepared.set()
            outcomes["second done while the first was open"] = second_done.wait(10)

    monkeypatch.setattr(export_chunks, "prepare_lines", prepare_then_wait)

    def chunk(number: int, done: threading.Event | None = None) -> None:
        with db.connection_context():
            outcomes[number] = export_chunks.run_chunk(run.id, "task-1", number)
        if done is not None:
            done.set()

    first = threading.Thread(target=chunk, args=(pending[0],), name="first")
    first.start()
    assert first_prepared.wait(30)
    second = threading.Thread(target=chunk, args=(pending[1], second_done), name="second")
    second.start()
    second.join(30)
    first.join(30)
    assert outcomes == {
        "second done while the first was open": True,
        pending[0]: "done",
        pending[1]: "done",
    }
    assert export_chunks.finish(run.id, "task-1") == "done"
    assert verify_chain().intact
    _invariants(run.id)
