"""Bank result files: parsing, and the reconciliation plan for each row."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from econ.errors import DomainError
from econ.stipends.files.results import (
    Action,
    AttemptState,
    ExceptionKind,
    ExpectedAttempt,
    ReconciliationPlan,
    ResultRow,
    ResultStatus,
    classify_results,
    parse_result_file,
)

PAID, FAILED = ResultStatus.PAID, ResultStatus.FAILED

# --- parsing ----------------------------------------------------------------------------


def test_parses_rows_with_line_numbers_counting_the_header():
    data = (
        "reference,status,amount,reason\n"
        "R12-L1-A1,PAID,900.00,\n"
        "R12-L2-A1,FAILED,450.50,AC04 account closed\n"
    )
    assert parse_result_file(data) == [
        ResultRow(2, "R12-L1-A1", PAID, Decimal("900.00"), ""),
        ResultRow(3, "R12-L2-A1", FAILED, Decimal("450.50"), "AC04 account closed", "AC04"),
    ]


def test_accepts_bom_crlf_and_blank_lines_as_bytes():
    data = "\ufeffreference,status,amount,reason\r\n\r\nR1,PAID,1.00,\r\nR2,RJCT,2,MS03\r\n"
    rows = parse_result_file(data.encode("utf-8"))
    # Line 3 is the blank line; "2" is read as 2.00.
    assert rows == [
        ResultRow(3, "R1", PAID, Decimal("1.00"), ""),
        ResultRow(4, "R2", FAILED, Decimal("2.00"), "MS03", "MS03"),
    ]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("PAID", PAID), ("paid", PAID), (" Acsc ", PAID), ("accp", PAID), ("ACCC", PAID),
        ("FAILED", FAILED), ("failed", FAILED), ("Rjct", FAILED), ("RETURNED", FAILED),
    ],
)  # fmt: skip
def test_status_synonyms_are_case_insensitive(status, expected):
    rows = parse_result_file(f"reference,status,amount,reason\nR1,{status},1.00,\n")
    assert rows[0].status == expected


def test_columns_in_any_order_extra_columns_ignored_reason_optional():
    data = "Amount, REFERENCE ,booked_on,Status\n12.30,R1,2026-12-04,paid\n"
    assert parse_result_file(data) == [ResultRow(2, "R1", PAID, Decimal("12.30"), "")]


def test_semicolon_files_from_spreadsheets_are_read():
    data = "reference;status;amount;reason\nR1;RJCT;12.30;AC01, wrong IBAN\n"
    assert parse_result_file(data) == [
        ResultRow(2, "R1", FAILED, Decimal("12.30"), "AC01, wrong IBAN", "AC01")
    ]


def test_header_only_is_an_empty_result():
    assert parse_result_file("reference,status,amount,reason\r\n") == []


def test_reason_is_flattened_and_capped():
    data = 'reference,status,amount,reason\nR1,FAILED,1.00,"line one\nline two ' + "x" * 600 + '"\n'
    reason = parse_result_file(data)[0].reason
    assert reason.startswith("line one line two x")
    assert len(reason) == 500


VALID_HEAD = "reference,status,amount,reason\nR1,PAID,1.00,\n"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("R2,SETTLED,1.00,", "row 3: unknown status"),
        ('R2,PAID,"12,50",', "row 3: '12,50' is not an amount"),
        ("R2,PAID,-1.00,", "row 3: amount must not be negative"),
        ("R2,PAID,1e3,", "row 3: '1e3' is not an amount"),
        ("R2,PAID,1.005,", "row 3: '1.005' is not an amount"),
        ("R2,PAID,,", "row 3: '' is not an amount"),
        ("R2,PAID,1.00", "row 3: expected 4 fields, found 3"),
        ("R2,PAID,1.00,,extra", "row 3: expected 4 fields, found 5"),
        ("R_2,PAID,1.00,", "row 3: the reference must be"),
        (",PAID,1.00,", "row 3: the reference must be"),
        ("R" * 36 + ",PAID,1.00,", "row 3: the reference must be"),
    ],
)
def test_a_malformed_row_rejects_the_file_naming_the_row(row, message):
    with pytest.raises(DomainError) as err:
        parse_result_file(VALID_HEAD + row + "\n")
    assert (err.value.code, err.value.field) == ("INVALID_RESULT_FILE", "file")
    assert err.value.message.startswith(message)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "the file is empty"),
        ("reference,status,reason\nR1,PAID,\n", "row 1: the header lacks amount"),
        ("ref,state,sum\n", "row 1: the header lacks reference, status, amount"),
        ("reference,status,amount,amount\n", "row 1: the header repeats amount"),
        (b"reference,status,amount\nR1,PAID,1.00\xff\n", "the file is not UTF-8"),
        # An unclosed quote would swallow the rows after it: refused, not read as one field.
        ('reference,status,amount,reason\nR1,FAILED,1.00,"AC04\nR2,PAID,5.00,\n', "row 3: not"),
        ('reference,status,amount\nR1,PAID,"1.00"x\n', "row 2: not readable as CSV"),
    ],
)
def test_unreadable_files_are_refused(data, message):
    with pytest.raises(DomainError) as err:
        parse_result_file(data)
    assert err.value.code == "INVALID_RESULT_FILE"
    assert err.value.message.startswith(message)


def test_too_many_rows_are_refused():
    data = "reference,status,amount\nR1,PAID,1.00\nR2,PAID,1.00\nR3,PAID,1.00\n"
    assert len(parse_result_file(data, max_rows=3)) == 3
    with pytest.raises(DomainError) as err:
        parse_result_file(data, max_rows=2)
    assert err.value.message == "the file has more than 2 rows"


def test_too_large_files_are_refused_before_parsing():
    data = b"reference,status,amount\n" + b"R1,PAID,1.00\n" * 10  # 24 + 10 x 13 = 154 bytes
    assert len(parse_result_file(data, max_bytes=154)) == 10
    with pytest.raises(DomainError) as err:
        parse_result_file(data, max_bytes=153)
    assert err.value.message == "the file is larger than 153 bytes"


# --- classification ---------------------------------------------------------------------


def row(line: int, reference: str, status: ResultStatus, amount: str, reason: str = ""):
    return ResultRow(line, reference, status, Decimal(amount), reason)


def attempts(*items: tuple[str, str, str]) -> dict[str, ExpectedAttempt]:
    return {ref: ExpectedAttempt(ref, Decimal(amount), state) for ref, amount, state in items}


def summary(plan: ReconciliationPlan) -> list[tuple[int, Action, ExceptionKind | None]]:
    return [(d.row.line_number, d.action, d.exception) for d in plan.decisions]


def test_sent_attempts_become_paid_or_failed():
    plan = classify_results(
        [row(2, "A1", PAID, "900.00"), row(3, "A2", FAILED, "450.50", "AC04")],
        attempts(("A1", "900.00", "SENT"), ("A2", "450.50", "SENT")),
    )
    assert summary(plan) == [(2, Action.MARK_PAID, None), (3, Action.MARK_FAILED, None)]
    assert plan.changes == plan.decisions
    assert plan.exceptions == ()


def test_unknown_reference_is_an_exception():
    plan = classify_results([row(2, "ZZ9", PAID, "1.00")], attempts(("A1", "1.00", "SENT")))
    assert summary(plan) == [(2, Action.EXCEPTION, ExceptionKind.UNKNOWN_REFERENCE)]
    assert plan.changes == ()


@pytest.mark.parametrize("status", [PAID, FAILED])
def test_any_result_for_an_unsent_attempt_is_an_exception(status):
    plan = classify_results([row(2, "A1", status, "1.00")], attempts(("A1", "1.00", "PENDING")))
    assert summary(plan) == [(2, Action.EXCEPTION, ExceptionKind.RETURN_OF_UNSENT)]


@pytest.mark.parametrize(("status", "state"), [(PAID, "SENT"), (FAILED, "SENT"), (PAID, "PAID")])
def test_amount_mismatch_is_an_exception_whatever_the_state(status, state):
    plan = classify_results([row(2, "A1", status, "899.99")], attempts(("A1", "900.00", state)))
    assert summary(plan) == [(2, Action.EXCEPTION, ExceptionKind.AMOUNT_MISMATCH)]
    assert plan.decisions[0].detail == "the bank reports 899.99, the attempt was for 900.00"


def test_identical_repeated_row_applies_once_and_reports_the_repeat():
    plan = classify_results(
        [row(2, "A1", PAID, "5.00"), row(3, "A2", PAID, "6.00"), row(4, "A1", PAID, "5.00")],
        attempts(("A1", "5.00", "SENT"), ("A2", "6.00", "SENT")),
    )
    assert summary(plan) == [
        (2, Action.MARK_PAID, None),
        (3, Action.MARK_PAID, None),
        (4, Action.EXCEPTION, ExceptionKind.DUPLICATE_ROW),
    ]
    assert plan.decisions[2].detail == "repeats row 2"


def test_contradicting_rows_for_one_reference_apply_none():
    plan = classify_results(
        [row(2, "A1", PAID, "5.00"), row(3, "A1", FAILED, "5.00", "AM04")],
        attempts(("A1", "5.00", "SENT")),
    )
    assert summary(plan) == [
        (2, Action.EXCEPTION, ExceptionKind.DUPLICATE_ROW),
        (3, Action.EXCEPTION, ExceptionKind.DUPLICATE_ROW),
    ]
    assert plan.changes == ()


def test_a_return_after_paid_reopens_the_line():
    plan = classify_results(
        [row(2, "A1", FAILED, "5.00", "MD06 refund")], attempts(("A1", "5.00", "PAID"))
    )
    assert summary(plan) == [(2, Action.RETURN_AFTER_PAID, None)]
    assert plan.decisions[0].row.reason == "MD06 refund"


def test_paid_for_an_attempt_recorded_failed_is_an_exception():
    plan = classify_results([row(2, "A1", PAID, "5.00")], attempts(("A1", "5.00", "FAILED")))
    assert summary(plan) == [(2, Action.EXCEPTION, ExceptionKind.PAID_AFTER_FAILED)]


@pytest.mark.parametrize(("status", "state"), [(PAID, "PAID"), (FAILED, "FAILED")])
def test_a_result_already_recorded_is_a_no_op(status, state):
    plan = classify_results([row(2, "A1", status, "5.00")], attempts(("A1", "5.00", state)))
    assert summary(plan) == [(2, Action.NO_OP, None)]
    assert plan.changes == ()


NEXT_STATE = {
    Action.MARK_PAID: AttemptState.PAID,
    Action.MARK_FAILED: AttemptState.FAILED,
    Action.RETURN_AFTER_PAID: AttemptState.FAILED,
}


def apply(plan: ReconciliationPlan, expected: dict[str, ExpectedAttempt]) -> dict:
    """What the service does with a plan: move each changed attempt to its new state."""
    after = dict(expected)
    for decision in plan.changes:
        old = after[decision.row.reference]
        after[old.reference] = ExpectedAttempt(
            old.reference, old.amount, NEXT_STATE[decision.action]
        )
    return after


def test_importing_the_same_file_twice_changes_nothing_the_second_time():
    data = (
        "reference,status,amount,reason\n"
        "A1,ACSC,900.00,\nA2,RJCT,450.50,AC04\nA3,PAID,10.00,\nZZ,PAID,1.00,\n"
    )
    expected = attempts(("A1", "900.00", "SENT"), ("A2", "450.50", "SENT"), ("A3", "10.00", "PAID"))
    first = classify_results(parse_result_file(data), expected)
    assert [d.action for d in first.changes] == [Action.MARK_PAID, Action.MARK_FAILED]
    after = apply(first, expected)
    second = classify_results(parse_result_file(data), after)
    assert second.changes == ()
    assert summary(second) == [
        (2, Action.NO_OP, None),
        (3, Action.NO_OP, None),
        (4, Action.NO_OP, None),
        (5, Action.EXCEPTION, ExceptionKind.UNKNOWN_REFERENCE),  # reported again, not applied
    ]


def test_expected_attempt_state_accepts_text_and_refuses_unknown_states():
    assert ExpectedAttempt("A1", Decimal("1.00"), "SENT").state is AttemptState.SENT
    with pytest.raises(ValueError):
        ExpectedAttempt("A1", Decimal("1.00"), "LOST")


REFERENCES = ["A1", "A2", "A3", "A4", "ZZ"]


@st.composite
def files_and_attempts(draw):
    rows = [
        row(i + 2, draw(st.sampled_from(REFERENCES)), draw(st.sampled_from([PAID, FAILED])),
            draw(st.sampled_from(["1.00", "2.00"])))
        for i in range(draw(st.integers(0, 8)))
    ]  # fmt: skip
    states = st.sampled_from(list(AttemptState))
    expected = {
        ref: ExpectedAttempt(ref, Decimal(draw(st.sampled_from(["1.00", "2.00"]))), draw(states))
        for ref in REFERENCES[:4]
        if draw(st.booleans())
    }
    return rows, expected


@given(files_and_attempts())
@settings(max_examples=200, deadline=None)
def test_every_row_gets_one_decision_and_a_second_import_changes_nothing(generated):
    rows, expected = generated
    plan = classify_results(rows, expected)
    assert [d.row for d in plan.decisions] == rows
    for decision in plan.decisions:
        assert (decision.action == Action.EXCEPTION) == (decision.exception is not None)
    # At most one state change per attempt from one file.
    changed = [d.row.reference for d in plan.changes]
    assert len(changed) == len(set(changed))
    assert classify_results(rows, apply(plan, expected)).changes == ()
