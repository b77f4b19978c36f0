"""The bank's result file: parsing it, and deciding what each row means for our attempts.

Format (docs/payment-files.md): CSV with a header naming `reference`, `status`,
`amount` and optionally `reason`; one row per attempt the bank reports on. Parsing is
all-or-nothing: one malformed row rejects the file, naming the row, so that a half
import never happens. `classify_results` is a pure function: the caller applies the plan.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from econ.errors import DomainError
from econ.money import parse_amount
from econ.stipends.errors import StipendCode
from econ.stipends.files.types import REFERENCE_PATTERN

MAX_ROWS = 100_000
MAX_FILE_BYTES = 20 * 1024 * 1024
REASON_MAX = 500
REQUIRED_COLUMNS = ("reference", "status", "amount")
OPTIONAL_COLUMNS = ("reason",)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_REASON_CODE = re.compile(r"([A-Z]{2}[0-9]{2})\b", re.ASCII)


class ResultStatus(StrEnum):
    PAID = "PAID"
    FAILED = "FAILED"
    PENDING = "PENDING"  # the bank has the payment but no outcome yet (pain.002, camt.054)


# Our words plus the ISO 20022 transaction status codes banks put in result exports.
# ACCP (accepted after customer-profile check) is not settlement, but is read as paid on
# purpose: a later RJCT for the same reference re-opens the line (RETURN_AFTER_PAID).
STATUS_SYNONYMS: dict[str, ResultStatus] = {
    "PAID": ResultStatus.PAID,
    "ACCP": ResultStatus.PAID,
    "ACSC": ResultStatus.PAID,
    "ACCC": ResultStatus.PAID,
    "FAILED": ResultStatus.FAILED,
    "RJCT": ResultStatus.FAILED,
    "REJECTED": ResultStatus.FAILED,
    "RETURNED": ResultStatus.FAILED,
}


class AttemptState(StrEnum):
    PENDING = "PENDING"
    SENT = "SENT"
    PAID = "PAID"
    FAILED = "FAILED"


class Action(StrEnum):
    MARK_PAID = "MARK_PAID"
    MARK_FAILED = "MARK_FAILED"
    NO_OP = "NO_OP"
    RETURN_AFTER_PAID = "RETURN_AFTER_PAID"
    EXCEPTION = "EXCEPTION"


class ExceptionKind(StrEnum):
    UNKNOWN_REFERENCE = "UNKNOWN_REFERENCE"
    DUPLICATE_ROW = "DUPLICATE_ROW"
    AMOUNT_MISMATCH = "AMOUNT_MISMATCH"
    RETURN_OF_UNSENT = "RETURN_OF_UNSENT"
    PAID_AFTER_FAILED = "PAID_AFTER_FAILED"


@dataclass(frozen=True)
class ResultRow:
    """One outcome the bank reports for one of our references.

    `line_number`: the CSV row (the header is row 1) or the XML line of the transaction.
    `amount` is None when the bank's report does not state it (then it is not compared).
    `reason_code`: the ISO 20022 reason code (AC04, MS03, ...) when the bank gives one.
    """

    line_number: int
    reference: str
    status: ResultStatus
    amount: Decimal | None
    reason: str
    reason_code: str | None = None


@dataclass(frozen=True)
class ExpectedAttempt:
    """What we know about an attempt the file may report on; `reference` is its EndToEndId."""

    reference: str
    amount: Decimal
    state: AttemptState

    def __post_init__(self) -> None:
        object.__setattr__(self, "state", AttemptState(self.state))


@dataclass(frozen=True)
class Decision:
    """What one row does; `exception` is set exactly when `action` is EXCEPTION."""

    row: ResultRow
    action: Action
    exception: ExceptionKind | None = None
    detail: str = ""


@dataclass(frozen=True)
class ReconciliationPlan:
    """One decision per row, in file order."""

    decisions: tuple[Decision, ...]

    def with_action(self, action: Action) -> tuple[Decision, ...]:
        return tuple(d for d in self.decisions if d.action == action)

    @property
    def exceptions(self) -> tuple[Decision, ...]:
        return self.with_action(Action.EXCEPTION)

    @property
    def changes(self) -> tuple[Decision, ...]:
        """The decisions that change an attempt's state."""
        unchanged = (Action.NO_OP, Action.EXCEPTION)
        return tuple(d for d in self.decisions if d.action not in unchanged)


def parse_result_file(
    data: bytes | str, max_rows: int = MAX_ROWS, *, max_bytes: int = MAX_FILE_BYTES
) -> list[ResultRow]:
    """Parse the whole file or raise DomainError(INVALID_RESULT_FILE, "row N: ...", "file").

    `max_bytes` bounds the input size (in characters when `data` is already text).
    """
    text = _decode(data, max_bytes)
    # strict: an unclosed quote must fail, not silently swallow the rows after it.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        columns, width = _read_header(reader)
        rows: list[ResultRow] = []
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) >= max_rows:
                raise _invalid(f"the file has more than {max_rows} rows")
            rows.append(_parse_row(reader.line_num, record, columns, width))
    except csv.Error as exc:
        raise _invalid(f"row {reader.line_num}: not readable as CSV ({exc})") from exc
    return rows


def classify_results(
    rows: Iterable[ResultRow], expected: Mapping[str, ExpectedAttempt]
) -> ReconciliationPlan:
    """Decide, for each row, what it does to the attempt it names; never drops a row."""
    rows = list(rows)
    by_reference: dict[str, list[ResultRow]] = defaultdict(list)
    for row in rows:
        if row.status != ResultStatus.PENDING:  # "no outcome yet" never contradicts one
            by_reference[row.reference].append(row)
    decisions = []
    for row in rows:
        same = by_reference.get(row.reference, [])
        counted = any(r is row for r in same)
        duplicate = _duplicate_decision(row, same) if counted else None
        decisions.append(duplicate or _decide(row, expected.get(row.reference)))
    return ReconciliationPlan(tuple(decisions))


def _duplicate_decision(row: ResultRow, same_reference: Sequence[ResultRow]) -> Decision | None:
    """Repeats of an identical row are exceptions; if the rows disagree, none is applied."""
    first = same_reference[0]
    agree = all((r.status, r.amount) == (first.status, first.amount) for r in same_reference)
    if row is first and agree:
        return None
    if agree:
        detail = f"repeats row {first.line_number}"
    else:
        others = ", ".join(str(r.line_number) for r in same_reference if r is not row)
        detail = f"contradicts row {others} for the same reference; none of them is applied"
    return Decision(row, Action.EXCEPTION, ExceptionKind.DUPLICATE_ROW, detail)


def _decide(row: ResultRow, attempt: ExpectedAttempt | None) -> Decision:
    if attempt is None:
        return _exception(row, ExceptionKind.UNKNOWN_REFERENCE, "no attempt has this reference")
    if attempt.state == AttemptState.PENDING:
        return _exception(row, ExceptionKind.RETURN_OF_UNSENT, "this attempt was never sent")
    if row.amount is not None and row.amount != attempt.amount:
        return _exception(
            row,
            ExceptionKind.AMOUNT_MISMATCH,
            f"the bank reports {row.amount}, the attempt was for {attempt.amount}",
        )
    if row.status == ResultStatus.PENDING:
        return Decision(row, Action.NO_OP)
    paid = row.status == ResultStatus.PAID
    if attempt.state == AttemptState.SENT:
        return Decision(row, Action.MARK_PAID if paid else Action.MARK_FAILED)
    if attempt.state == AttemptState.PAID:
        return Decision(row, Action.NO_OP if paid else Action.RETURN_AFTER_PAID)
    if not paid:
        return Decision(row, Action.NO_OP)
    # Money may have left twice if the line was already retried: someone must look.
    return _exception(row, ExceptionKind.PAID_AFTER_FAILED, "the attempt was recorded as failed")


def _exception(row: ResultRow, kind: ExceptionKind, detail: str) -> Decision:
    return Decision(row, Action.EXCEPTION, kind, detail)


def _decode(data: bytes | str, max_bytes: int) -> str:
    if len(data) > max_bytes:
        raise _invalid(f"the file is larger than {max_bytes} bytes")
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _invalid("the file is not UTF-8 text") from exc


def _delimiter(text: str) -> str:
    """Comma, or semicolon when the header uses it (European spreadsheet exports)."""
    header = text.split("\n", 1)[0]
    return ";" if ";" in header and "," not in header else ","


def _read_header(reader: Iterable[list[str]]) -> tuple[dict[str, int], int]:
    """Column positions by name, and the number of fields every row must have."""
    header = next(iter(reader), None)
    if header is None:
        raise _invalid("the file is empty: expected the header reference,status,amount,reason")
    names = [cell.strip().lower() for cell in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise _invalid(f"row 1: the header lacks {', '.join(missing)}")
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    repeated = sorted({n for n in names if n in known and names.count(n) > 1})
    if repeated:
        raise _invalid(f"row 1: the header repeats {', '.join(repeated)}")
    # Other columns a bank adds (dates, its own ids) are ignored.
    columns = {name: names.index(name) for name in known if name in names}
    return columns, len(names)


def _parse_row(line: int, record: list[str], columns: dict[str, int], width: int) -> ResultRow:
    if len(record) != width:
        raise _invalid(f"row {line}: expected {width} fields, found {len(record)}")
    reference = record[columns["reference"]].strip()
    if not REFERENCE_PATTERN.fullmatch(reference):
        raise _invalid(f"row {line}: the reference must be 1-35 letters, digits or '-'")
    raw_status = record[columns["status"]].strip().upper()
    status = STATUS_SYNONYMS.get(raw_status)
    if status is None:
        raise _invalid(f"row {line}: unknown status; use PAID or FAILED (or ACSC, ACCP, RJCT)")
    try:
        amount = parse_amount(record[columns["amount"]], "amount")
    except DomainError as exc:
        raise _invalid(f"row {line}: {exc.message}") from exc
    reason = record[columns["reason"]] if "reason" in columns else ""
    reason = clean_reason(reason)
    return ResultRow(line, reference, status, amount, reason, reason_code(reason))


def clean_reason(text: str) -> str:
    """One line of at most REASON_MAX characters."""
    return _CONTROL.sub(" ", text).strip()[:REASON_MAX]


def reason_code(reason: str) -> str | None:
    """The ISO reason code a reason starts with ("AC04 account closed" -> "AC04")."""
    match = _REASON_CODE.match(reason)
    return match.group(1) if match else None


def _invalid(message: str) -> DomainError:
    return DomainError(StipendCode.INVALID_RESULT_FILE, message, "file")
