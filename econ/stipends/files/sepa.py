"""SEPA credit transfer file: ISO 20022 pain.001.001.03, one payment batch per file.

The file must prove the run's frozen control totals: the caller passes them and the
writer refuses transfers whose count or sum differs. A transfer that cannot be written
is left out and returned with its reason, never stopping the file (screening.py). Text
goes through `sepa_text` (names.py), because banks reject characters outside the SEPA
Latin set.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import BinaryIO

from lxml import etree

from econ.errors import DomainError
from econ.stipends.errors import StipendCode
from econ.stipends.files.names import REMITTANCE_MAX, sepa_name, sepa_text
from econ.stipends.files.screening import WrittenFile, check_batch, screen_transfers, total_of
from econ.stipends.files.types import Payer, Transfer, check_reference

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"


def build_pain001(
    message_id: str,
    created_at: datetime,
    payer: Payer,
    transfers: Iterable[Transfer],
    execution_date: date,
    control_sum: Decimal,
    number_of_transactions: int,
) -> WrittenFile:
    """Write the pain.001.001.03 document for every transfer that can be written.

    `control_sum` and `number_of_transactions` are the run's frozen totals over all the
    transfers given; a mismatch, an empty list or a repeated reference raises DomainError
    (the caller's error). A transfer that cannot be written (account, BIC, name, amount,
    currency: see screening.py) is left out and returned in `rejected` with its reason;
    the file's NbOfTxs and CtrlSum are those of the transfers it carries. Transfers are
    written sorted by end-to-end id, so the same input always gives the same bytes.
    """
    check_reference(message_id, "messageId")
    given = list(transfers)
    check_batch(given, control_sum, number_of_transactions)
    check_payer(payer)
    screened = screen_transfers(
        sorted(given, key=lambda t: t.end_to_end_id), sepa=True, payer_country=payer.iban[:2]
    )
    if not screened.accepted:
        return WrittenFile(None, (), screened.rejected)
    out = io.BytesIO()
    accepted = screened.accepted
    write_pain001(
        out,
        message_id,
        created_at,
        payer,
        accepted,
        execution_date,
        total_of(accepted),
        len(accepted),
    )
    return WrittenFile(out.getvalue(), accepted, screened.rejected)


def check_payer(payer: Payer) -> None:
    if not sepa_name(payer.name):
        raise DomainError(
            StipendCode.INVALID_NAME,
            "the name has no letters the SEPA character set can carry",
            "payerName",
        )


def write_pain001(
    out: BinaryIO,
    message_id: str,
    created_at: datetime,
    payer: Payer,
    transfers: Iterable[Transfer],
    execution_date: date,
    control_sum: Decimal,
    count: int,
) -> None:
    """Write the document to `out` as the transfers come, one element at a time.

    `transfers` are screened (`screen_transfer` accepted each) and in end-to-end order;
    `count` and `control_sum` are theirs, known before the first is read (from a first
    pass), because the group header states them. A stream that does not add up to them
    raises CONTROL_TOTAL_MISMATCH after the last one (the caller then stores nothing).
    The bytes are those `etree.tostring(document, pretty_print=True)` gives for the
    whole tree: the same transfers always give the same file.
    """
    check_reference(message_id, "messageId")
    check_payer(payer)
    written, total = 0, Decimal(0)
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(_tag("Document"), nsmap={None: NAMESPACE}):
            xf.write(_INDENT[1])
            with xf.element(_tag("CstmrCdtTrfInitn")):
                header = _group_header(message_id, created_at, payer, count, control_sum)
                _write_at(xf, header, 2)
                xf.write(_INDENT[2])
                with xf.element(_tag("PmtInf")):
                    for fixed in _payment_information(
                        message_id, payer, execution_date, count, control_sum
                    ):
                        _write_at(xf, fixed, 3)
                    for transfer in transfers:
                        _write_at(xf, _transfer(transfer, payer.display_name), 3)
                        written, total = written + 1, total + transfer.amount
                    xf.write(_INDENT[2])
                xf.write(_INDENT[1])
            xf.write(_INDENT[0])
    out.write(b"\n")
    if (written, total) != (count, control_sum):
        raise DomainError(
            StipendCode.CONTROL_TOTAL_MISMATCH,
            f"the file states {count} transfers for {control_sum}, {written} for {total} came",
            "total",
        )


# "\n" and two spaces per level: what lxml's pretty_print writes between elements.
_INDENT = tuple("\n" + "  " * level for level in range(4))


def _write_at(xf, element: etree._Element, level: int) -> None:
    """Write a detached element at `level` below the root, indented as pretty_print would.

    Its tags have no namespace: written inside the root's default namespace they are in
    it, and serialise without a namespace declaration of their own."""
    xf.write(_INDENT[level])
    etree.indent(element, space="  ", level=level)
    xf.write(element)


def _group_header(
    message_id: str, created_at: datetime, payer: Payer, count: int, control_sum: Decimal
) -> etree._Element:
    header = etree.Element("GrpHdr")
    _add(header, "MsgId", message_id)
    _add(header, "CreDtTm", _iso_datetime(created_at))
    _write_totals(header, count, control_sum)
    _add(header, "InitgPty/Nm", sepa_name(payer.name))
    return header


def _payment_information(
    message_id: str, payer: Payer, execution_date: date, count: int, control_sum: Decimal
) -> list[etree._Element]:
    """The batch's own elements, before its transfers."""
    batch = etree.Element("PmtInf")
    _add(batch, "PmtInfId", message_id)
    _add(batch, "PmtMtd", "TRF")
    # One debit on the program's statement rather than one line per participant.
    _add(batch, "BtchBookg", "true")
    _write_totals(batch, count, control_sum)
    _add(batch, "PmtTpInf/SvcLvl/Cd", "SEPA")
    _add(batch, "ReqdExctnDt", execution_date.isoformat())
    _add(batch, "Dbtr/Nm", sepa_name(payer.name))
    _add(batch, "DbtrAcct/Id/IBAN", payer.iban)
    _write_agent(batch, "DbtrAgt", payer.bic, required=True)
    _add(batch, "ChrgBr", "SLEV")
    return list(batch)


def _transfer(transfer: Transfer, remittance_prefix: str) -> etree._Element:
    item = etree.Element("CdtTrfTxInf")
    _add(item, "PmtId/EndToEndId", transfer.end_to_end_id)
    _add(item, "Amt/InstdAmt", _amount(transfer.amount)).set("Ccy", transfer.currency)
    _write_agent(item, "CdtrAgt", transfer.payee_bic, required=False)
    _add(item, "Cdtr/Nm", transfer.payee_name)  # already in the SEPA set (screening)
    _add(item, "CdtrAcct/Id/IBAN", transfer.payee_iban)
    remittance = _remittance(f"{remittance_prefix} {transfer.remittance}")
    if remittance:
        _add(item, "RmtInf/Ustrd", remittance)
    return item


@lru_cache(maxsize=256)
def _remittance(text: str) -> str:
    """A file's remittances are a few texts ("<display name> <period>"), each reduced to the
    SEPA set once rather than per transfer (pure: same text, same result)."""
    return sepa_text(text, REMITTANCE_MAX)


def _write_agent(parent: etree._Element, tag: str, bic: str | None, *, required: bool) -> None:
    if bic:
        _add(parent, f"{tag}/FinInstnId/BIC", bic)
    elif required:
        # SEPA (IBAN-only) convention when the debtor's BIC is not given.
        _add(parent, f"{tag}/FinInstnId/Othr/Id", "NOTPROVIDED")


def _write_totals(parent: etree._Element, count: int, control_sum: Decimal) -> None:
    _add(parent, "NbOfTxs", str(count))
    _add(parent, "CtrlSum", _amount(control_sum))


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _iso_datetime(moment: datetime) -> str:
    """UTC to the second, without offset: the form every bank's pain.001 variant accepts."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat()


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _add(parent: etree._Element, path: str, text: str | None = None) -> etree._Element:
    """Append the elements of a "A/B/C" path under parent; the text goes on the last one."""
    element = parent
    for name in path.split("/"):
        element = etree.SubElement(element, name)
    if text is not None:
        element.text = text
    return element
