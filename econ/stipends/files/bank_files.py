"""Any result file the bank or office sends back: the CSV, pain.002 or camt.054.

`parse_bank_file` looks at the content, not the file name: XML in the pain.002.001.03 or
camt.054.001.02 namespace goes to its parser, anything else is read as the CSV result
file. Each gives a `BankReport` whose rows `classify_results` turns into a plan.
"""

from __future__ import annotations

from econ.stipends.files.camt054 import parse_debit_notification
from econ.stipends.files.iso_xml import (
    CAMT054,
    PAIN002,
    BankReport,
    Batches,
    invalid,
    message_type,
    read_xml,
)
from econ.stipends.files.pain002 import parse_status_report
from econ.stipends.files.results import MAX_ROWS, parse_result_file


def parse_bank_file(
    data: bytes | str, batches: Batches | None = None, *, max_rows: int = MAX_ROWS
) -> BankReport:
    """Parse the whole file or raise DomainError(INVALID_RESULT_FILE, ..., "file").

    `batches`: our files by MsgId, with the end-to-end ids each carried, for reports
    that speak of a whole file or batch (see pain002.py and camt054.py).
    """
    if _looks_like_xml(data):
        kind = message_type(read_xml(data))
        if kind == PAIN002:
            return parse_status_report(data, batches)
        if kind == CAMT054:
            return parse_debit_notification(data, batches)
        raise invalid(f"an XML result file must be {PAIN002} or {CAMT054}")
    rows = parse_result_file(data, max_rows)
    return BankReport("csv", None, tuple(rows))


def _looks_like_xml(data: bytes | str) -> bool:
    head = data[:64]
    if isinstance(head, bytes):
        head = head.decode("utf-8", "replace")
    return head.lstrip("\ufeff \t\r\n").startswith("<")
