"""The bank's reports: pain.002.001.03 status reports and camt.054.001.02 notifications.

Every sample is written by the test (tests/support/bank_reports.py) and checked against
its schema with xmlschema before the parser sees it, so each test states what a real,
valid report says and what econ reads from it.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from econ.errors import DomainError
from econ.stipends.files.bank_files import parse_bank_file
from econ.stipends.files.camt054 import parse_debit_notification
from econ.stipends.files.iso_xml import CAMT054, PAIN002, SCHEMAS
from econ.stipends.files.pain002 import parse_status_report
from econ.stipends.files.results import (
    Action,
    ExceptionKind,
    ExpectedAttempt,
    ResultStatus,
    classify_results,
)
from tests.support.bank_reports import Booking, TxStatus, camt054, is_valid, pain002

PAID, FAILED, PENDING = ResultStatus.PAID, ResultStatus.FAILED, ResultStatus.PENDING
FILE = "7KQ2M9XD-R12-BANK-B1"
BATCHES = {FILE: ("R12-L1-A1", "R12-L2-A1", "R12-L3-A1")}


def valid(data: bytes, name: str) -> bytes:
    assert is_valid(data, name), "the sample itself must be valid ISO 20022"
    return data


def outcomes(report) -> list[tuple]:
    return [(r.reference, r.status, r.amount, r.reason_code) for r in report.rows]


def test_the_shipped_schemas_are_the_unchanged_iso_files():
    expected = {
        "pain.002.001.03.xsd": "c0c2b98f51638147598678bbec3d5aedfa270a819c2fda8014ba3c34a5972195",
        "camt.054.001.02.xsd": "8bb91f1d645277487b4262538c9064161e8feb48ceb8b0c680716fd07c32da01",
    }
    for name, digest in expected.items():
        assert hashlib.sha256((SCHEMAS / name).read_bytes()).hexdigest() == digest


# --- pain.002 ----------------------------------------------------------------------------


def test_status_report_maps_each_transaction_to_paid_failed_or_pending():
    data = valid(
        pain002(
            [
                TxStatus("R12-L1-A1", "ACSC"),
                TxStatus("R12-L2-A1", "RJCT", "AC04", "account closed", Decimal("450.50")),
                TxStatus("R12-L3-A1", "ACCP"),
                TxStatus("R12-L4-A1", "PDNG"),
                TxStatus("R12-L5-A1", "ACTC"),
            ]
        ),
        PAIN002,
    )
    report = parse_status_report(data)
    assert (report.message_type, report.message_id) == (PAIN002, "BANK-STS-1")
    assert outcomes(report) == [
        ("R12-L1-A1", PAID, None, None),
        ("R12-L2-A1", FAILED, Decimal("450.50"), "AC04"),
        ("R12-L3-A1", PENDING, None, None),  # accepted is not settled
        ("R12-L4-A1", PENDING, None, None),
        ("R12-L5-A1", PENDING, None, None),
    ]
    assert report.rows[1].reason == "AC04 account closed"
    assert report.unmatched == ()


def test_a_transaction_without_status_takes_its_batch_then_its_group_status():
    data = valid(pain002([TxStatus("R12-L1-A1", None)], batch_status="RJCT"), PAIN002)
    assert outcomes(parse_status_report(data)) == [("R12-L1-A1", FAILED, None, None)]
    data = valid(pain002([TxStatus("R12-L1-A1", None)], group_status="ACSC"), PAIN002)
    assert outcomes(parse_status_report(data)) == [("R12-L1-A1", PAID, None, None)]


def test_a_whole_file_rejected_fails_every_transaction_it_carried():
    data = valid(pain002([], group_status="RJCT", group_reason="FF01", batch_id=None), PAIN002)
    report = parse_status_report(data, BATCHES)
    assert outcomes(report) == [(ref, FAILED, None, "FF01") for ref in BATCHES[FILE]]
    # The same report for a file that is not ours names it, and changes nothing.
    other = parse_status_report(data, {})
    assert other.rows == ()
    [unmatched] = other.unmatched
    assert (unmatched.identifier, unmatched.status) == (FILE, FAILED)


def test_a_batch_accepted_without_transactions_is_pending_and_lists_nothing():
    data = valid(pain002([], batch_status="ACCP"), PAIN002)
    report = parse_status_report(data, BATCHES)
    assert (report.rows, report.unmatched) == ((), ())


def test_a_status_without_our_reference_is_listed_not_dropped():
    data = valid(pain002([TxStatus(None, "RJCT", "AC01")]), PAIN002)
    report = parse_status_report(data)
    assert report.rows == ()
    assert [u.status for u in report.unmatched] == [FAILED]


# --- camt.054 ----------------------------------------------------------------------------


def test_notification_reads_bookings_returns_and_pending_entries():
    data = valid(
        camt054(
            [
                Booking(Decimal("900.00"), transactions=(("R12-L1-A1", Decimal("900.00")),)),
                Booking(
                    Decimal("450.50"),
                    debit=False,
                    transactions=(("R12-L2-A1", Decimal("450.50")),),
                    return_reason="AC04",
                ),
                Booking(Decimal("75.25"), status="PDNG", transactions=(("R12-L3-A1", None),)),
                Booking(Decimal("30.00"), debit=False, transactions=(("SOMEONE-ELSE", None),)),
                Booking(
                    Decimal("12.00"),
                    debit=False,
                    reversal=True,
                    transactions=(("R12-L4-A1", None),),
                ),
            ]
        ),
        CAMT054,
    )
    report = parse_debit_notification(data)
    assert (report.message_type, report.message_id) == (CAMT054, "BANK-NTF-1")
    assert outcomes(report) == [
        ("R12-L1-A1", PAID, Decimal("900.00"), None),
        ("R12-L2-A1", FAILED, Decimal("450.50"), "AC04"),
        ("R12-L3-A1", PENDING, Decimal("75.25"), None),  # one transaction: the entry amount
        # money received (the fourth entry) is not about our transfers: skipped
        ("R12-L4-A1", FAILED, Decimal("12.00"), None),
    ]
    assert report.rows[1].reason == "AC04 account closed"
    assert report.rows[3].reason == "RETURNED"


def test_a_batch_booking_without_details_pays_every_transaction_of_the_file():
    data = valid(camt054([Booking(Decimal("1350.50"), batch=FILE)]), CAMT054)
    assert outcomes(parse_debit_notification(data, BATCHES)) == [
        (ref, PAID, None, None) for ref in BATCHES[FILE]
    ]
    unknown = parse_debit_notification(data, {})
    assert unknown.rows == () and [u.identifier for u in unknown.unmatched] == [FILE]


def test_a_booking_without_end_to_end_id_is_listed():
    data = valid(
        camt054([Booking(Decimal("5.00"), transactions=((None, None), ("NOTPROVIDED", None)))]),
        CAMT054,
    )
    report = parse_debit_notification(data)
    assert report.rows == () and len(report.unmatched) == 2


# --- refused files -----------------------------------------------------------------------


def _invalid_samples() -> list[tuple[str, bytes, str]]:
    good_status = pain002([TxStatus("R12-L1-A1", "ACSC")])
    good_booking = camt054([Booking(Decimal("1.00"), transactions=(("R1", None),))])
    return [
        ("unknown status code", good_status.replace(b">ACSC<", b">PAID<"), PAIN002),
        ("missing MsgId", good_status.replace(b"<MsgId>BANK-STS-1</MsgId>", b""), PAIN002),
        ("amount with a comma", good_booking.replace(b">1.00<", b">1,00<"), CAMT054),
        ("entry status", good_booking.replace(b">BOOK<", b">DONE<"), CAMT054),
    ]


@pytest.mark.parametrize(("what", "data", "name"), _invalid_samples())
def test_a_report_that_breaks_its_schema_is_refused_whole_naming_the_line(what, data, name):
    assert not is_valid(data, name), what  # xmlschema agrees that the sample is invalid
    with pytest.raises(DomainError) as err:
        parse_bank_file(data)
    assert (err.value.code, err.value.field) == ("INVALID_RESULT_FILE", "file")
    assert err.value.message.startswith("line ") and name in err.value.message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"<Document><unclosed></Document>", "not well-formed"),
        (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">&b;</Document>',
            "document type",
        ),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>',
            "must be pain.002.001.03 or camt.054.001.02",
        ),
        (b"<html><body>not a report</body></html>", "must be pain.002.001.03"),
    ],
)
def test_other_xml_is_refused_with_a_plain_reason(data, words):
    with pytest.raises(DomainError) as err:
        parse_bank_file(data)
    assert err.value.code == "INVALID_RESULT_FILE" and words in err.value.message


def test_a_report_given_to_the_wrong_parser_is_refused():
    with pytest.raises(DomainError) as err:
        parse_status_report(camt054([Booking(Decimal("1.00"), batch=FILE)]))
    assert "not a pain.002.001.03 message" in err.value.message


def test_the_csv_result_file_is_still_read_beside_the_xml_reports():
    report = parse_bank_file(b"reference,status,amount,reason\r\nR1,RJCT,5.00,AC04 closed\r\n")
    assert report.message_type == "csv"
    assert outcomes(report) == [("R1", FAILED, Decimal("5.00"), "AC04")]


# --- into the reconciliation plan ----------------------------------------------------------


def expected_attempts(**states) -> dict[str, ExpectedAttempt]:
    return {
        ref: ExpectedAttempt(ref, amount, state)
        for ref, (amount, state) in {
            "R12-L1-A1": (Decimal("900.00"), states.get("l1", "SENT")),
            "R12-L2-A1": (Decimal("450.50"), states.get("l2", "SENT")),
            "R12-L3-A1": (Decimal("75.25"), states.get("l3", "SENT")),
        }.items()
    }


def test_a_report_becomes_a_plan_with_unknown_references_reported_and_is_idempotent():
    data = valid(
        pain002(
            [
                TxStatus("R12-L1-A1", "ACSC"),
                TxStatus("R12-L2-A1", "RJCT", "AC04"),
                TxStatus("R12-L3-A1", "ACCP"),
                TxStatus("R99-L1-A1", "ACSC"),  # not one of this run's attempts
            ]
        ),
        PAIN002,
    )
    first = classify_results(parse_bank_file(data).rows, expected_attempts())
    assert [(d.row.reference, d.action, d.exception) for d in first.decisions] == [
        ("R12-L1-A1", Action.MARK_PAID, None),
        ("R12-L2-A1", Action.MARK_FAILED, None),
        ("R12-L3-A1", Action.NO_OP, None),  # pending: nothing changes
        ("R99-L1-A1", Action.EXCEPTION, ExceptionKind.UNKNOWN_REFERENCE),
    ]
    # The service applies the plan; parsing the same file again gives the same rows, and
    # against the states it left, no change at all.
    assert parse_bank_file(data) == parse_bank_file(data)
    again = classify_results(parse_bank_file(data).rows, expected_attempts(l1="PAID", l2="FAILED"))
    assert again.changes == ()
    assert [d.exception for d in again.exceptions] == [ExceptionKind.UNKNOWN_REFERENCE]


def test_a_later_notification_settles_what_the_status_report_left_pending():
    status = parse_bank_file(valid(pain002([TxStatus("R12-L3-A1", "ACCP")]), PAIN002))
    assert classify_results(status.rows, expected_attempts()).changes == ()
    booking = camt054([Booking(Decimal("75.25"), transactions=(("R12-L3-A1", Decimal("75.25")),))])
    plan = classify_results(parse_bank_file(valid(booking, CAMT054)).rows, expected_attempts())
    assert [(d.row.reference, d.action) for d in plan.changes] == [("R12-L3-A1", Action.MARK_PAID)]


def test_a_booked_amount_that_differs_from_the_attempt_is_an_exception():
    booking = camt054([Booking(Decimal("90.00"), transactions=(("R12-L1-A1", Decimal("90.00")),))])
    plan = classify_results(parse_bank_file(valid(booking, CAMT054)).rows, expected_attempts())
    assert [d.exception for d in plan.decisions] == [ExceptionKind.AMOUNT_MISMATCH]


def test_pending_rows_never_contradict_the_outcome_for_the_same_reference():
    rows = parse_bank_file(
        valid(
            camt054(
                [
                    Booking(Decimal("900.00"), status="PDNG", transactions=(("R12-L1-A1", None),)),
                    Booking(Decimal("900.00"), transactions=(("R12-L1-A1", None),)),
                ]
            ),
            CAMT054,
        )
    ).rows
    plan = classify_results(rows, expected_attempts())
    assert [d.action for d in plan.decisions] == [Action.NO_OP, Action.MARK_PAID]


CODES = st.sampled_from(["ACSC", "RJCT", "ACCP", "ACSP", "ACTC", "PDNG", "ACWC"])


@given(
    st.lists(
        st.tuples(st.integers(1, 10_000), CODES), min_size=1, max_size=30, unique_by=lambda x: x[0]
    )
)
@settings(max_examples=60, deadline=None)
def test_any_valid_status_report_gives_one_row_per_transaction_with_its_status(items):
    transactions = [
        TxStatus(f"R7-L{line}-A1", code, "AC04" if code == "RJCT" else None) for line, code in items
    ]
    data = valid(pain002(transactions), PAIN002)
    report = parse_bank_file(data)
    expected = {"ACSC": PAID, "RJCT": FAILED}
    assert [(r.reference, r.status) for r in report.rows] == [
        (t.reference, expected.get(t.status, PENDING)) for t in transactions
    ]
    assert all(r.reason_code == "AC04" for r in report.rows if r.status == FAILED)
    assert report == parse_bank_file(data)  # pure: a re-import reads the same


SAMPLES = [
    pain002([TxStatus("R12-L1-A1", "ACSC"), TxStatus("R12-L2-A1", "RJCT", "AC04", "closed")]),
    camt054([Booking(Decimal("9.00"), transactions=(("R12-L1-A1", Decimal("9.00")),))]),
]


@given(
    st.sampled_from(SAMPLES),
    st.lists(st.tuples(st.integers(0, 10_000), st.binary(min_size=0, max_size=3)), max_size=4),
)
@settings(max_examples=200, deadline=None)
def test_a_damaged_report_is_read_or_refused_cleanly_never_a_crash(sample, damage):
    data = bytearray(sample)
    for position, replacement in damage:
        at = position % (len(data) + 1)
        data[at : at + len(replacement)] = replacement
    try:
        report = parse_bank_file(bytes(data), BATCHES)
    except DomainError as exc:
        assert (exc.code, exc.field) == ("INVALID_RESULT_FILE", "file") and exc.message
        return
    assert all(isinstance(row.reference, str) for row in report.rows)
