"""Bank reports the tests write themselves: pain.002.001.03 and camt.054.001.02 samples.

Each builder takes plain tuples and returns the XML bytes a bank would send, in the
element order the schemas demand. `validate` checks a sample against its schema with
xmlschema (another implementation than the lxml one the parser uses), so a sample that
is not valid ISO 20022 can never make a test pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import xmlschema
from lxml import etree

from econ.stipends.files.iso_xml import SCHEMAS

PAIN002_NS = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"
CAMT054_NS = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"


@dataclass(frozen=True)
class TxStatus:
    """One TxInfAndSts: our end-to-end id, the bank's code, an optional reason."""

    reference: str | None
    status: str | None = "ACSC"
    reason: str | None = None  # ISO code, e.g. AC04
    info: str | None = None  # AddtlInf text
    amount: Decimal | None = None


@dataclass(frozen=True)
class Booking:
    """One Ntry of a camt.054 notification, with its TxDtls."""

    amount: Decimal
    debit: bool = True
    status: str = "BOOK"
    reversal: bool = False
    transactions: tuple[tuple[str | None, Decimal | None], ...] = ()  # (EndToEndId, TxAmt)
    return_reason: str | None = None
    batch: str | None = None  # Btch/PmtInfId


def _el(parent, tag: str, text: str | None = None, ns: str = PAIN002_NS, **attrs):
    element = parent
    for name in tag.split("/"):
        element = etree.SubElement(element, f"{{{ns}}}{name}")
    if text is not None:
        element.text = text
    for key, value in attrs.items():
        element.set(key, value)
    return element


def pain002(
    transactions: list[TxStatus],
    *,
    message_id: str = "BANK-STS-1",
    original_message_id: str = "7KQ2M9XD-R12-BANK-B1",
    group_status: str | None = None,
    batch_status: str | None = None,
    batch_id: str | None = "7KQ2M9XD-R12-BANK-B1",
    group_reason: str | None = None,
) -> bytes:
    root = etree.Element(f"{{{PAIN002_NS}}}Document", nsmap={None: PAIN002_NS})
    report = _el(root, "CstmrPmtStsRpt")
    header = _el(report, "GrpHdr")
    _el(header, "MsgId", message_id)
    _el(header, "CreDtTm", "2026-12-04T09:15:00")
    group = _el(report, "OrgnlGrpInfAndSts")
    _el(group, "OrgnlMsgId", original_message_id)
    _el(group, "OrgnlMsgNmId", "pain.001.001.03")
    if group_status:
        _el(group, "GrpSts", group_status)
    if group_reason:
        _el(group, "StsRsnInf/Rsn/Cd", group_reason)
    if batch_id is not None:
        block = _el(report, "OrgnlPmtInfAndSts")
        _el(block, "OrgnlPmtInfId", batch_id)
        if batch_status:
            _el(block, "PmtInfSts", batch_status)
        for tx in transactions:
            item = _el(block, "TxInfAndSts")
            if tx.reference is not None:
                _el(item, "OrgnlEndToEndId", tx.reference)
            if tx.status:
                _el(item, "TxSts", tx.status)
            if tx.reason or tx.info:
                reason = _el(item, "StsRsnInf")
                if tx.reason:
                    _el(reason, "Rsn/Cd", tx.reason)
                if tx.info:
                    _el(reason, "AddtlInf", tx.info)
            if tx.amount is not None:
                _el(item, "OrgnlTxRef/Amt/InstdAmt", f"{tx.amount:.2f}", Ccy="EUR")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def camt054(bookings: list[Booking], *, message_id: str = "BANK-NTF-1") -> bytes:
    ns = CAMT054_NS
    root = etree.Element(f"{{{ns}}}Document", nsmap={None: ns})
    message = _el(root, "BkToCstmrDbtCdtNtfctn", ns=ns)
    header = _el(message, "GrpHdr", ns=ns)
    _el(header, "MsgId", message_id, ns=ns)
    _el(header, "CreDtTm", "2026-12-04T18:00:00", ns=ns)
    notification = _el(message, "Ntfctn", ns=ns)
    _el(notification, "Id", "NTF-1", ns=ns)
    _el(notification, "CreDtTm", "2026-12-04T18:00:00", ns=ns)
    _el(notification, "Acct/Id/IBAN", "DE89370400440532013000", ns=ns)
    for booking in bookings:
        entry = _el(notification, "Ntry", ns=ns)
        _el(entry, "Amt", f"{booking.amount:.2f}", ns=ns, Ccy="EUR")
        _el(entry, "CdtDbtInd", "DBIT" if booking.debit else "CRDT", ns=ns)
        if booking.reversal:
            _el(entry, "RvslInd", "true", ns=ns)
        _el(entry, "Sts", booking.status, ns=ns)
        _el(entry, "BkTxCd/Prtry/Cd", "NTRF", ns=ns)
        if not booking.transactions and booking.batch is None:
            continue
        details = _el(entry, "NtryDtls", ns=ns)
        if booking.batch is not None:
            _el(details, "Btch/PmtInfId", booking.batch, ns=ns)
        for reference, amount in booking.transactions:
            tx = _el(details, "TxDtls", ns=ns)
            refs = _el(tx, "Refs", ns=ns)
            if reference is not None:
                _el(refs, "EndToEndId", reference, ns=ns)
            _el(refs, "TxId", "BANK-TX-1", ns=ns)
            if amount is not None:
                _el(tx, "AmtDtls/TxAmt/Amt", f"{amount:.2f}", ns=ns, Ccy="EUR")
            if booking.return_reason:
                returned = _el(tx, "RtrInf", ns=ns)
                _el(returned, "Rsn/Cd", booking.return_reason, ns=ns)
                _el(returned, "AddtlInf", "account closed", ns=ns)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@cache
def _schema(name: str) -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / f"{name}.xsd"))


def is_valid(data: bytes, name: str) -> bool:
    return _schema(name).is_valid(data.decode("utf-8"))
