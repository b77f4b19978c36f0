"""The bank's booking notification: camt.054.001.02 (BankToCustomerDebitCreditNotification).

Each entry (`Ntry`) on the program's account is read as:

- a debit (`DBIT`), booked (`BOOK`), not a reversal: PAID (the money left the account);
- a credit (`CRDT`) with return information (`RtrInf`) or marked as a reversal, booked:
  FAILED, with the return reason code (`RtrInf/Rsn/Cd`, e.g. AC04);
- either of these pending (`PDNG`) or for information (`INFO`): PENDING;
- any other entry (money received, fees, a debit reversed): not about our transfers,
  skipped.

Each transaction of an entry (`NtryDtls/TxDtls`) names our end-to-end id
(`Refs/EndToEndId`), with its amount in `AmtDtls/TxAmt` (or `InstdAmt`; the entry's
own amount when it has one transaction). A booked batch (`BtchBookg`, one debit for a
whole file) without transaction details is applied to every transaction of that file,
found through `batches` by `Btch/PmtInfId` or `Btch/MsgId`.
"""

from __future__ import annotations

from lxml import etree

from econ.stipends.files.iso_xml import (
    CAMT054,
    BankReport,
    Batches,
    Reader,
    Unmatched,
    expand,
    parse_document,
)
from econ.stipends.files.results import ResultRow, ResultStatus

_X = Reader(CAMT054)
_BOOKED = {"BOOK": True, "PDNG": False, "INFO": False}


def parse_debit_notification(data: bytes | str, batches: Batches | None = None) -> BankReport:
    """Read a camt.054.001.02 notification, valid against its schema, or raise
    INVALID_RESULT_FILE. Pure: the same bytes always give the same report."""
    root = parse_document(data, CAMT054)
    message = _X.find(root, "BkToCstmrDbtCdtNtfctn")
    rows: list[ResultRow] = []
    unmatched: list[Unmatched] = []
    for entry in _X.findall(message, "Ntfctn/Ntry"):
        status = _entry_status(entry)
        if status is None:
            continue
        for details in _X.findall(entry, "NtryDtls") or [entry]:
            transactions = _X.findall(details, "TxDtls")
            for transaction in transactions:
                row = _row(entry, transaction, status, single=len(transactions) == 1)
                (rows if isinstance(row, ResultRow) else unmatched).append(row)
            if not transactions:
                batch = _X.text(details, "Btch/PmtInfId") or _X.text(details, "Btch/MsgId")
                reason = _X.reason(entry, "NtryDtls/TxDtls/RtrInf")
                more, missing = expand(batches or {}, batch, status, entry.sourceline, reason)
                rows += more
                unmatched += missing
    return BankReport(CAMT054, _X.text(message, "GrpHdr/MsgId"), tuple(rows), tuple(unmatched))


def _entry_status(entry: etree._Element) -> ResultStatus | None:
    """PAID, FAILED or PENDING for an entry about our transfers, None for other entries."""
    debit = _X.text(entry, "CdtDbtInd") == "DBIT"
    reversal = _X.text(entry, "RvslInd") == "true"
    returned = bool(_X.findall(entry, "NtryDtls/TxDtls/RtrInf"))
    booked = _BOOKED[_X.text(entry, "Sts") or "INFO"]
    if debit and not reversal and not returned:
        outcome = ResultStatus.PAID
    elif not debit and (reversal or returned):
        outcome = ResultStatus.FAILED
    else:
        return None
    return outcome if booked else ResultStatus.PENDING


def _row(
    entry: etree._Element, transaction: etree._Element, status: ResultStatus, *, single: bool
) -> ResultRow | Unmatched:
    line = transaction.sourceline
    reference = _X.text(transaction, "Refs/EndToEndId")
    if reference is None or reference == "NOTPROVIDED":
        other = _X.text(transaction, "Refs/TxId") or _X.text(entry, "AcctSvcrRef") or ""
        return Unmatched(line, other, status, "a booking without our end-to-end id")
    amount = _X.amount(transaction, "AmtDtls/TxAmt/Amt")
    if amount is None:
        amount = _X.amount(transaction, "AmtDtls/InstdAmt/Amt")
    if amount is None and single:
        amount = _X.amount(entry, "Amt")
    reason, code = _X.reason(transaction, "RtrInf")
    if status == ResultStatus.FAILED and not reason:
        reason = "RETURNED"
    return ResultRow(line, reference, status, amount, reason, code)
