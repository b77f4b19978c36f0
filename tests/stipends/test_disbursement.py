"""Payment files from approved runs, result import, retries and the ledger postings."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from econ.errors import Conflict
from econ.ledger.models import JournalEntry
from econ.ledger.services import balance, unbalanced_entries
from econ.participants import services as participants
from econ.settings.models import Installation
from econ.settings.services import installation_id
from econ.stipends import services as stipends
from econ.stipends.file_store import read_content
from econ.stipends.files.business_days import next_target_business_day
from econ.stipends.models import (
    PaymentAttempt,
    PaymentFile,
    PaymentLine,
    PaymentRun,
    ReconciliationException,
    RunEvent,
)
from tests.stipends.conftest import attempts_of, d, line_of

XSD = Path(__file__).resolve().parent.parent / "data" / "pain.001.001.03.xsd"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
HEADER = "reference,status,amount,reason\n"


@pytest.fixture
def disbursed(world):
    """Three transfers (900, 650, 900), one card load and one cash payment: disbursed."""
    people = [world.participant(legal_name=f"Payee Number{i}") for i in range(5)]
    for p in people:
        world.schedule(p)
    world.income(people[1], "2025-12", "800.00")  # taper 250 -> 650.00
    stipends.set_payment_method(world.finance, people[3].id, "PREPAID_CARD", "CARD-0007")
    stipends.set_payment_method(world.finance, people[4].id, "CASH")
    run = world.disburse(world.approve(world.calculate("2026-01")))
    return run, people


def _file(run, method):
    return PaymentFile.get((PaymentFile.run == run.id) & (PaymentFile.method == method))


def test_sepa_file_validates_and_matches_frozen_totals(world, disbursed):
    run, _ = disbursed
    sepa = _file(run, "BANK_TRANSFER")
    xml = etree.fromstring(read_content(sepa).encode())
    etree.XMLSchema(etree.parse(str(XSD))).assertValid(xml)
    frozen = run.control_by_method["BANK_TRANSFER"]
    assert frozen == {"count": 3, "total": "2450.00"}  # 900 + 650 + 900
    assert xml.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=NS) == "3"
    assert xml.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) == "2450.00"
    assert sepa.sha256 == hashlib.sha256(read_content(sepa).encode()).hexdigest()
    refs = sorted(xml.xpath("//p:EndToEndId/text()", namespaces=NS))
    expected = sorted(a.reference for a in attempts_of(run) if a.line.method == "BANK_TRANSFER")
    assert refs == expected
    remittances = set(xml.xpath("//p:Ustrd/text()", namespaces=NS))
    assert remittances == {"Pathways Programme 2026-01"}  # neutral display name + period
    # run totals: count all 5 lines, 900 + 650 + 900 + 900 + 900
    assert (run.control_count, run.control_total) == (5, d("4250.00"))


def test_sepa_file_ids_carry_the_installation_and_the_date_is_a_target_day(world, disbursed):
    run, _ = disbursed
    xml = etree.fromstring(read_content(_file(run, "BANK_TRANSFER")).encode())
    installation = installation_id()
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{8}", installation)
    msg_id = f"{installation}-R{run.id}-BANK-B1"
    assert xml.findtext(".//p:GrpHdr/p:MsgId", namespaces=NS) == msg_id
    assert xml.findtext(".//p:PmtInf/p:PmtInfId", namespaces=NS) == msg_id
    executed = date.fromisoformat(xml.findtext(".//p:ReqdExctnDt", namespaces=NS))
    assert executed == next_target_business_day(date.today())
    assert executed.weekday() < 5


def test_installation_id_is_drawn_once_and_kept():
    first = installation_id()
    assert installation_id() == first
    assert Installation.select().count() == 1
    Installation.delete().execute()  # another installation (a fresh database)
    assert installation_id() != first  # 40 random bits: equal once in 10^12
    assert Installation.select().count() == 1


def test_card_and_cash_files(world, disbursed):
    run, _ = disbursed
    card = _file(run, "PREPAID_CARD")
    assert card.format == "CSV"
    assert "CARD-0007" in read_content(card) and ",900.00,EUR" in read_content(card)
    cash = _file(run, "CASH")
    assert cash.format == "CASH_LIST"
    assert "Received (signature)" in read_content(cash) and "Total: 900.00" in read_content(cash)


def test_send_posts_once_and_every_line_is_sent(world, disbursed):
    run, _ = disbursed
    assert {line.status for line in PaymentLine.select()} == {"SENT"}
    assert balance("stipend_payable") == d("0.00")
    assert balance("bank_clearing") == d("-4250.00")
    before = JournalEntry.select().count()
    # a second run of the export task finds nothing to do
    assert stipends.export_run(run.id) == "done"
    assert JournalEntry.select().count() == before
    assert PaymentFile.select().count() == 3
    assert PaymentAttempt.select().count() == 5


def _result(rows):
    return HEADER + "\n".join(rows) + "\n"


def test_reconciliation_marks_paid_and_failed_and_reimport_is_noop(world, disbursed):
    run, _ = disbursed
    attempts = attempts_of(run)
    rows = [f"{a.reference},PAID,{a.amount:.2f}," for a in attempts[1:]]
    rows.append(f"{attempts[0].reference},RJCT,{attempts[0].amount:.2f},AC04 closed")
    text = _result(rows)
    summary = stipends.import_results(world.finance, run.id, text)
    assert (summary.paid, summary.failed, summary.exceptions) == (4, 1, 0)
    assert summary.run_state == "COMPLETED_WITH_FAILURES"
    failed = PaymentLine.get_by_id(attempts[0].line_id)
    assert (failed.status, failed.failure_reason) == ("FAILED", "AC04 closed")
    entries = JournalEntry.select().count()
    again = stipends.import_results(world.finance, run.id, text)
    assert (again.paid, again.failed, again.unchanged) == (0, 0, 5)
    assert JournalEntry.select().count() == entries
    # 4250 issued: 900 back to payable, the rest left the bank
    assert balance("stipend_payable") == -attempts[0].amount
    assert balance("bank") == -(d("4250.00") - attempts[0].amount)
    assert balance("bank_clearing") == d("0.00")
    assert unbalanced_entries() == []


def test_each_bad_row_lands_in_the_exceptions_list(world, disbursed):
    run, _ = disbursed
    a = attempts_of(run)
    rows = [
        "R999-L1-A1,PAID,10.00,",  # unknown reference
        f"{a[0].reference},PAID,{a[0].amount:.2f},",
        f"{a[0].reference},PAID,{a[0].amount:.2f},",  # duplicate of the row above
        f"{a[1].reference},PAID,1.00,",  # amount mismatch
    ]
    summary = stipends.import_results(world.finance, run.id, _result(rows))
    assert summary.paid == 1
    kinds = sorted(e.kind for e in ReconciliationException.select())
    assert kinds == ["AMOUNT_MISMATCH", "DUPLICATE_ROW", "UNKNOWN_REFERENCE"]
    stipends.import_results(world.finance, run.id, _result(rows))
    assert ReconciliationException.select().count() == 3  # not listed twice
    review = [i.kind for i in stipends.run_exceptions(world.finance, run.id)]
    assert review == ["UNKNOWN_REFERENCE", "DUPLICATE_ROW", "AMOUNT_MISMATCH"]


def test_return_of_an_unsent_retry_is_an_exception(world, disbursed):
    run, _ = disbursed
    first = attempts_of(run)[0]
    stipends.import_results(
        world.finance, run.id, _result([f"{first.reference},RJCT,{first.amount:.2f},"])
    )
    retry = stipends.retry_line(world.finance, first.line_id, run_tasks=False)
    # the retry exists but no file carried it yet: a result for it is a return of the unsent
    stipends.import_results(
        world.finance, run.id, _result([f"{retry.reference},PAID,{retry.amount:.2f},"])
    )
    assert [e.kind for e in ReconciliationException.select()] == ["RETURN_OF_UNSENT"]
    assert PaymentAttempt.get_by_id(retry.id).status == "CREATED"


def test_return_after_paid_reopens_the_line_not_the_run(world, disbursed):
    run, _ = disbursed
    attempts = attempts_of(run)
    stipends.import_results(
        world.finance, run.id, _result([f"{a.reference},PAID,{a.amount:.2f}," for a in attempts])
    )
    assert PaymentRun.get_by_id(run.id).state == "COMPLETED"
    returned = attempts[2]
    stipends.import_results(
        world.finance, run.id, _result([f"{returned.reference},RETURNED,{returned.amount:.2f},"])
    )
    line = PaymentLine.get_by_id(returned.line_id)
    assert (line.status, line.failure_reason) == ("FAILED", "RETURNED")
    assert PaymentRun.get_by_id(run.id).state == "COMPLETED"
    assert balance("bank") == -(d("4250.00") - returned.amount)
    assert balance("stipend_payable") == -returned.amount
    assert unbalanced_entries() == []


def test_retry_is_a_new_attempt_of_the_same_line(world, disbursed):
    run, _ = disbursed
    first = attempts_of(run)[0]
    with pytest.raises(Conflict) as exc:
        stipends.retry_line(world.finance, first.line_id, run_tasks=False)
    assert exc.value.code == "INVALID_TRANSITION"  # SENT: outcome unknown, not failed
    stipends.import_results(
        world.finance, run.id, _result([f"{first.reference},RJCT,{first.amount:.2f},"])
    )
    retry = stipends.retry_line(world.finance, first.line_id, run_tasks=False)
    assert (retry.line_id, retry.number, retry.reference) == (
        first.line_id,
        2,
        f"R{run.id}-L{first.line_id}-A2",
    )
    with pytest.raises(Conflict) as exc:
        stipends.retry_line(world.finance, first.line_id, run_tasks=False)
    assert exc.value.code == "INVALID_TRANSITION"  # the line is PENDING again
    assert stipends.export_run(run.id) == "done"
    second_file = PaymentFile.get((PaymentFile.run == run.id) & (PaymentFile.batch == 2))
    assert (second_file.count, second_file.total) == (1, first.amount)
    assert PaymentLine.select().where(PaymentLine.run == run.id).count() == 5
    stipends.import_results(
        world.finance, run.id, _result([f"{retry.reference},PAID,{retry.amount:.2f},"])
    )
    others = [f"{a.reference},PAID,{a.amount:.2f}," for a in attempts_of(run)[1:5]]
    stipends.import_results(world.finance, run.id, _result(others))
    assert PaymentRun.get_by_id(run.id).state == "COMPLETED"
    assert balance("bank") == d("-4250.00")
    assert balance("stipend_payable") == balance("bank_clearing") == d("0.00")


def test_paid_after_failed_is_flagged(world, disbursed):
    run, _ = disbursed
    first = attempts_of(run)[0]
    stipends.import_results(
        world.finance, run.id, _result([f"{first.reference},RJCT,{first.amount:.2f},"])
    )
    stipends.import_results(
        world.finance, run.id, _result([f"{first.reference},ACSC,{first.amount:.2f},"])
    )
    assert [e.kind for e in ReconciliationException.select()] == ["PAID_AFTER_FAILED"]


def test_csv_transfer_format_and_totals(world):
    p = world.participant()
    world.schedule(p, amount="750.25")
    run = world.disburse(world.approve(world.calculate("2026-01")), "CSV")
    content = read_content(_file(run, "BANK_TRANSFER"))
    assert (
        content.splitlines()[0]
        == "reference,payee_name,payee_iban,payee_bic,amount,currency,remittance"
    )
    assert f"R{run.id}-L{line_of(run, p).id}-A1" in content and ",750.25,EUR,2026-01" in content


def test_disbursing_needs_approval(world):
    p = world.participant()
    world.schedule(p)
    run = world.calculate("2026-01")
    with pytest.raises(Conflict):
        stipends.disburse_run(world.finance, run.id, "SEPA", run_tasks=False)
    assert stipends.export_run(run.id) == "stale"
    assert PaymentAttempt.select().count() == 0


def test_a_failing_export_returns_the_run_to_approved_with_the_error_listed(world, monkeypatch):
    """Issue 15 item 4: a failed export left the run DISBURSING with no way out."""
    from econ.stipends import adapters

    p = world.participant()
    world.schedule(p)
    run = world.approve(world.calculate("2026-01"))

    def broken(self, out, batch, payees):
        raise OSError("disk full")

    monkeypatch.setattr(adapters.SepaAdapter, "write", broken)
    run = stipends.disburse_run(world.finance, run.id, "SEPA", run_tasks=False)
    assert stipends.export_run(run.id) == "failed"
    failed = PaymentRun.get_by_id(run.id)
    assert (failed.state, failed.job_status) == ("APPROVED", "FAILED")
    assert failed.job_error == "OSError: disk full"
    event = RunEvent.select().where(RunEvent.run == run.id).order_by(RunEvent.id.desc()).first()
    assert (event.from_state, event.to_state) == ("DISBURSING", "APPROVED")
    assert "disk full" in event.reason
    assert PaymentAttempt.select().count() == 0
    assert PaymentFile.select().count() == 0
    assert JournalEntry.select().where(JournalEntry.key.startswith("attempt:")).count() == 0
    assert Decimal(0) == balance("bank_clearing")
    monkeypatch.undo()
    # retryable: disbursed again (the format may be chosen again: nothing was written)
    run = world.disburse(failed, "CSV")
    assert (run.state, run.job_status, run.transfer_format) == ("DISBURSING", "DONE", "CSV")


def test_a_failed_export_can_be_cancelled_instead(world, monkeypatch):
    from econ.stipends import adapters

    p = world.participant()
    world.schedule(p)
    run = world.approve(world.calculate("2026-01"))
    monkeypatch.setattr(adapters.SepaAdapter, "write", lambda self, o, b, p: 1 / 0)
    run = stipends.disburse_run(world.finance, run.id, "SEPA", run_tasks=False)
    assert stipends.export_run(run.id) == "failed"
    cancelled = stipends.cancel_run(world.finance, run.id, "bank holiday, redo next week")
    assert cancelled.state == "CANCELLED"
    assert balance("stipend_expense") == Decimal("0.00") and unbalanced_entries() == []


def test_a_second_disbursement_request_is_refused_and_changes_nothing(world):
    """Issue 15 item 5: it answered errors [] with a 0/0 job and switched the format."""
    p = world.participant()
    world.schedule(p)
    run = world.disburse(world.approve(world.calculate("2026-01")), "SEPA")
    before = PaymentRun.get_by_id(run.id)
    with pytest.raises(Conflict) as exc:
        stipends.disburse_run(world.finance2, run.id, "CSV", run_tasks=False)
    assert exc.value.code == "ALREADY_DISBURSED" and "SEPA" in exc.value.message
    after = PaymentRun.get_by_id(run.id)
    assert (after.version, after.transfer_format, after.job_status, after.job_done) == (
        before.version,
        "SEPA",
        before.job_status,
        before.job_done,
    )


def test_non_latin_legal_names_are_paid_transliterated_not_lost(world):
    """Issue 15 item 4: an all-CJK name used to fail the whole SEPA export, and a mixed
    one lost its Cyrillic part."""
    cjk = world.participant(legal_name="王秀英", bank_account="DE89370400440532013000")
    mixed = world.participant(legal_name="Olga Ольга Смирнова")
    for p in (cjk, mixed):
        world.schedule(p)
    run = world.disburse(world.approve(world.calculate("2026-01")))
    assert run.job_status == "DONE" and run.job_error is None
    xml = etree.fromstring(read_content(_file(run, "BANK_TRANSFER")).encode())
    etree.XMLSchema(etree.parse(str(XSD))).assertValid(xml)
    names = sorted(xml.xpath("//p:Cdtr/p:Nm/text()", namespaces=NS))
    assert names == ["Olga Ol'ga Smirnova", "WangXiuYing"]


def test_a_payee_outside_the_eea_is_paid_with_her_bank_bic(world):
    swiss = world.participant(
        legal_name="Lea Keller", bank_account="CH9300762011623852957", bank_bic="UBSWCHZH80A"
    )
    world.schedule(swiss)
    run = world.disburse(world.approve(world.calculate("2026-01")))
    assert run.job_status == "DONE", run.job_error
    xml = etree.fromstring(read_content(_file(run, "BANK_TRANSFER")).encode())
    etree.XMLSchema(etree.parse(str(XSD))).assertValid(xml)
    assert xml.xpath("//p:CdtTrfTxInf/p:CdtrAgt/p:FinInstnId/p:BIC/text()", namespaces=NS) == [
        "UBSWCHZH80A"
    ]


def test_a_line_the_file_cannot_carry_is_held_and_the_rest_goes_out(world):
    """Issue 15 item 4: one name blocked the whole month."""
    emoji = world.participant(legal_name="🌸🌸", preferred_name="🌸")
    other = world.participant(legal_name="Ana Ruiz")
    for p in (emoji, other):
        world.schedule(p)
    run = world.disburse(world.approve(world.calculate("2026-01")))
    assert (run.job_status, run.job_error) == ("DONE", None)
    held = line_of(run, emoji)
    assert (held.status, held.exception) == ("HELD", "NOT_WRITABLE")
    assert "INVALID_NAME" in held.failure_reason
    assert line_of(run, other).status == "SENT"
    file = _file(run, "BANK_TRANSFER")
    assert (file.count, file.total) == (1, Decimal("900.00"))
    # her name corrected: the retry writes the name as it is now, in a new file
    participants.update_participant(world.counselor, emoji.id, legal_name="Hana Sato")
    stipends.retry_line(world.finance, held.id, run_tasks=False)
    assert stipends.export_run(run.id) == "done"
    again = PaymentFile.select().where(PaymentFile.run == run.id).order_by(PaymentFile.id)
    assert [f.count for f in again] == [1, 1]
    assert "Hana Sato" in read_content(list(again)[-1])
    assert line_of(run, emoji).status == "SENT"


@pytest.mark.parametrize("file_format", ["SEPA", "CSV"])
def test_an_export_in_chunks_writes_the_file_the_whole_list_would(world, monkeypatch, file_format):
    """Issue 21 item 3: lines are read, held, given attempts and screened CHUNK at a
    time, and the file is written from the attempts in reference order. With chunks of
    two the outcome is the one the writer gives for the whole list at once."""
    from econ.security.crypto import decrypt
    from econ.stipends import disbursement
    from econ.stipends.disbursement import attempt_context
    from econ.stipends.files.csv_files import build_transfer_csv
    from econ.stipends.files.sepa import build_pain001
    from econ.stipends.files.types import Payer, Transfer

    monkeypatch.setattr(disbursement, "CHUNK", 2)
    people = [world.participant(legal_name=f"Payee Number{i}") for i in range(7)]
    people.append(world.participant(legal_name="🌸🌸", preferred_name="🌸"))  # no SEPA name
    people.append(world.participant(bank_account=None))
    for p in people:
        world.schedule(p)
    stipends.set_payment_method(world.finance, people[5].id, "PREPAID_CARD", "CARD-0005")
    stipends.set_payment_method(world.finance, people[6].id, "CASH")
    run = world.disburse(world.approve(world.calculate("2026-01")), file_format)
    assert (run.job_status, run.job_error) == ("DONE", None)
    assert line_of(run, people[8]).exception == "NO_BANK_ACCOUNT"
    sent = [line_of(run, p).status for p in people[:7]]
    assert sent == ["SENT"] * 7
    sepa = file_format == "SEPA"
    assert line_of(run, people[7]).exception == ("NOT_WRITABLE" if sepa else None)
    file = _file(run, "BANK_TRANSFER")
    carried = [a for a in attempts_of(run) if a.file_id == file.id]
    transfers = [
        Transfer(
            a.reference,
            decrypt(a.payee_name, attempt_context("payee_name", a.reference)),
            decrypt(a.account, attempt_context("account", a.reference)),
            a.amount,
            "EUR" if sepa else run.settings["currency"],
            "2026-01",
        )
        for a in carried
    ]
    total = sum((t.amount for t in transfers), Decimal(0))
    assert (file.count, file.total) == (len(transfers), total) == (5 + (not sepa), total)
    if sepa:
        xml = etree.fromstring(read_content(file).encode())
        etree.XMLSchema(etree.parse(str(XSD))).assertValid(xml)
        created = datetime.fromisoformat(
            xml.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CreDtTm", namespaces=NS)
        )
        display = run.settings["program_display_name"]
        payer = Payer(name=display, iban=run.settings["program_bank_iban"], display_name=display)
        whole = build_pain001(
            xml.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:MsgId", namespaces=NS),
            created,
            payer,
            transfers,
            next_target_business_day(date.today()),
            total,
            len(transfers),
        )
    else:
        whole = build_transfer_csv(transfers)
    assert read_content(file).encode() == whole.content
    assert file.sha256 == hashlib.sha256(whole.content).hexdigest()
    files = PaymentFile.select().where(PaymentFile.run == run.id)
    sent_total = sum((f.total for f in files), Decimal(0))
    assert unbalanced_entries() == [] and balance("bank_clearing") == -sent_total
