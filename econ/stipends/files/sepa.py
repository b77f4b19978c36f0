"""SEPA credit transfer file: ISO 20022 pain.001.001.03, one payment batch per file.

The file must prove the run's frozen control totals: the caller passes them and the
writer refuses transfers whose count or sum differs. A transfer that cannot be written
is left out and returned with its reason, never stopping the file (screening.py). Text
goes through `sepa_text` (names.py), because banks reject characters outside the SEPA
Latin set.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

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
    if not sepa_name(payer.name):
        raise DomainError(
            StipendCode.INVALID_NAME,
            "the name has no letters the SEPA character set can carry",
            "payerName",
        )
    screened = screen_transfers(
        sorted(given, key=lambda t: t.end_to_end_id), sepa=True, payer_country=payer.iban[:2]
    )
    if not screened.accepted:
        return WrittenFile(None, (), screened.rejected)
    root = etree.Element(_tag("Document"), nsmap={None: NAMESPACE})
    initiation = _add(root, "CstmrCdtTrfInitn")
    _write_group_header(initiation, message_id, created_at, payer, screened.accepted)
    _write_payment_information(initiation, message_id, payer, screened.accepted, execution_date)
    content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return WrittenFile(content, screened.accepted, screened.rejected)


def _write_group_header(
    parent: etree._Element,
    message_id: str,
    created_at: datetime,
    payer: Payer,
    transfers: Sequence[Transfer],
) -> None:
    header = _add(parent, "GrpHdr")
    _add(header, "MsgId", message_id)
    _add(header, "CreDtTm", _iso_datetime(created_at))
    _write_totals(header, transfers)
    _add(header, "InitgPty/Nm", sepa_name(payer.name))


def _write_payment_information(
    parent: etree._Element,
    message_id: str,
    payer: Payer,
    transfers: Sequence[Transfer],
    execution_date: date,
) -> None:
    batch = _add(parent, "PmtInf")
    _add(batch, "PmtInfId", message_id)
    _add(batch, "PmtMtd", "TRF")
    # One debit on the program's statement rather than one line per participant.
    _add(batch, "BtchBookg", "true")
    _write_totals(batch, transfers)
    _add(batch, "PmtTpInf/SvcLvl/Cd", "SEPA")
    _add(batch, "ReqdExctnDt", execution_date.isoformat())
    _add(batch, "Dbtr/Nm", sepa_name(payer.name))
    _add(batch, "DbtrAcct/Id/IBAN", payer.iban)
    _write_agent(batch, "DbtrAgt", payer.bic, required=True)
    _add(batch, "ChrgBr", "SLEV")
    remittance_prefix = payer.display_name
    for transfer in transfers:
        _write_transfer(batch, transfer, remittance_prefix)


def _write_transfer(parent: etree._Element, transfer: Transfer, remittance_prefix: str) -> None:
    item = _add(parent, "CdtTrfTxInf")
    _add(item, "PmtId/EndToEndId", transfer.end_to_end_id)
    _add(item, "Amt/InstdAmt", _amount(transfer.amount)).set("Ccy", transfer.currency)
    _write_agent(item, "CdtrAgt", transfer.payee_bic, required=False)
    _add(item, "Cdtr/Nm", transfer.payee_name)  # already in the SEPA set (screening)
    _add(item, "CdtrAcct/Id/IBAN", transfer.payee_iban)
    remittance = sepa_text(f"{remittance_prefix} {transfer.remittance}", REMITTANCE_MAX)
    if remittance:
        _add(item, "RmtInf/Ustrd", remittance)


def _write_agent(parent: etree._Element, tag: str, bic: str | None, *, required: bool) -> None:
    if bic:
        _add(parent, f"{tag}/FinInstnId/BIC", bic)
    elif required:
        # SEPA (IBAN-only) convention when the debtor's BIC is not given.
        _add(parent, f"{tag}/FinInstnId/Othr/Id", "NOTPROVIDED")


def _write_totals(parent: etree._Element, transfers: Sequence[Transfer]) -> None:
    _add(parent, "NbOfTxs", str(len(transfers)))
    _add(parent, "CtrlSum", _amount(total_of(transfers)))


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
        element = etree.SubElement(element, _tag(name))
    if text is not None:
        element.text = text
    return element
