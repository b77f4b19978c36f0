"""The bank's status report on our transfers: pain.002.001.03 (CustomerPaymentStatusReport).

Each transaction status (`TxInfAndSts`) names our end-to-end id (`OrgnlEndToEndId`) and
is read as:

| TxSts | Read as | Why |
|---|---|---|
| `ACSC` | PAID | settlement completed on the payer's account |
| `RJCT` | FAILED, with the `StsRsnInf` reason code (e.g. AC04) | refused |
| `ACTC`, `ACCP`, `ACSP`, `ACWC`, `PDNG` | PENDING | accepted or waiting, not yet settled |

A transaction without `TxSts` takes its batch's `PmtInfSts`, else the group's `GrpSts`.
A batch or group status with no transactions listed (a whole file rejected, or settled)
is applied to every transaction of that file, found through `batches`; one for a file
that is not ours is listed in `unmatched`.
"""

from __future__ import annotations

from lxml import etree

from econ.stipends.files.iso_xml import (
    PAIN002,
    BankReport,
    Batches,
    Reader,
    Unmatched,
    expand,
    parse_document,
)
from econ.stipends.files.results import ResultRow, ResultStatus

STATUS = {
    "ACSC": ResultStatus.PAID,
    "RJCT": ResultStatus.FAILED,
    "ACTC": ResultStatus.PENDING,
    "ACCP": ResultStatus.PENDING,
    "ACSP": ResultStatus.PENDING,
    "ACWC": ResultStatus.PENDING,
    "PDNG": ResultStatus.PENDING,
    "RCVD": ResultStatus.PENDING,  # group and batch level only
    "PART": ResultStatus.PENDING,  # partly accepted: the transactions say which
}
_X = Reader(PAIN002)


def parse_status_report(data: bytes | str, batches: Batches | None = None) -> BankReport:
    """Read a pain.002.001.03 report, valid against its schema, or raise INVALID_RESULT_FILE.

    Pure: the same bytes always give the same report, so importing a report twice
    changes nothing the second time (classify_results sees the states it left).
    """
    root = parse_document(data, PAIN002)
    report = _X.find(root, "CstmrPmtStsRpt")
    group = _X.find(report, "OrgnlGrpInfAndSts")
    group_status = _X.text(group, "GrpSts")
    rows: list[ResultRow] = []
    unmatched: list[Unmatched] = []
    blocks = _X.findall(report, "OrgnlPmtInfAndSts")
    for block in blocks:
        block_status = _X.text(block, "PmtInfSts") or group_status
        transactions = _X.findall(block, "TxInfAndSts")
        for transaction in transactions:
            row = _row(transaction, block_status)
            (rows if isinstance(row, ResultRow) else unmatched).append(row)
        if not transactions:
            more, missing = _whole(block, "OrgnlPmtInfId", block_status, batches or {})
            rows += more
            unmatched += missing
    if not blocks:
        more, missing = _whole(group, "OrgnlMsgId", group_status, batches or {})
        rows += more
        unmatched += missing
    return BankReport(PAIN002, _X.text(report, "GrpHdr/MsgId"), tuple(rows), tuple(unmatched))


def _row(transaction: etree._Element, inherited: str | None) -> ResultRow | Unmatched:
    code = _X.text(transaction, "TxSts") or inherited
    status = STATUS.get(code or "", ResultStatus.PENDING)
    reference = _X.text(transaction, "OrgnlEndToEndId")
    line = transaction.sourceline
    if reference is None:
        other = _X.text(transaction, "OrgnlInstrId") or ""
        return Unmatched(line, other, status, "a transaction status without an end-to-end id")
    reason, reason_code = _X.reason(transaction, "StsRsnInf")
    amount = _X.amount(transaction, "OrgnlTxRef/Amt/InstdAmt")
    return ResultRow(line, reference, status, amount, reason, reason_code)


def _whole(
    element: etree._Element, id_path: str, code: str | None, batches: Batches
) -> tuple[list[ResultRow], list[Unmatched]]:
    """A final status for a whole batch or file; a pending one changes nothing."""
    status = STATUS.get(code or "", ResultStatus.PENDING)
    if status == ResultStatus.PENDING:
        return [], []
    reason = _X.reason(element, "StsRsnInf")
    return expand(batches, _X.text(element, id_path), status, element.sourceline, reason)
