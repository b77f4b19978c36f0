"""SEPA credit transfer file: ISO 20022 pain.001.001.03, one payment batch per file.

The file must prove the run's frozen control totals: the caller passes them and the
writer refuses to produce a file whose count or sum differs. Text goes through
`sepa_text`, because banks reject characters outside the SEPA Latin set.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from lxml import etree

from econ.errors import DomainError
from econ.stipends.files.types import Payer, Transfer, check_reference

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
NAME_MAX = 70  # EPC rulebook: names are limited to 70 characters
REMITTANCE_MAX = 140  # RmtInf/Ustrd is Max140Text
SEPA_CURRENCY = "EUR"

# Letters that NFKD does not decompose into a base letter plus accents.
_SPELLED_OUT = str.maketrans(
    {
        "ß": "ss", "ẞ": "SS", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "Ø": "O",
        "ø": "o", "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Þ": "TH",
        "þ": "th", "ı": "i", "Ħ": "H", "ħ": "h", "&": "+", "‘": "'", "’": "'", "‚": ",",
        "–": "-", "—": "-",
    }
)  # fmt: skip
# The EPC basic Latin set: a-z A-Z 0-9 / - ? : ( ) . , ' + and space.
_NOT_SEPA = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]")
_WHITESPACE = re.compile(r"\s+")


def sepa_text(text: str, max_length: int) -> str:
    """Reduce text to the SEPA character set: accents dropped, other characters removed."""
    spaced = _WHITESPACE.sub(" ", text.translate(_SPELLED_OUT))
    decomposed = unicodedata.normalize("NFKD", spaced)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    kept = _WHITESPACE.sub(" ", _NOT_SEPA.sub("", bare)).strip()
    return kept[:max_length].rstrip()


def build_pain001(
    message_id: str,
    created_at: datetime,
    payer: Payer,
    transfers: Iterable[Transfer],
    execution_date: date,
    control_sum: Decimal,
    number_of_transactions: int,
) -> bytes:
    """Write the pain.001.001.03 document as UTF-8 bytes.

    Transfers are written sorted by end-to-end id, so the same set gives the same bytes
    whatever order the caller read them in. Raises DomainError when the control totals do
    not match, when a transfer is not in EUR, or when a name has no SEPA characters left.
    """
    check_reference(message_id, "messageId")
    ordered = sorted(transfers, key=lambda t: t.end_to_end_id)
    _check_batch(ordered, control_sum, number_of_transactions)
    root = etree.Element(_tag("Document"), nsmap={None: NAMESPACE})
    initiation = _add(root, "CstmrCdtTrfInitn")
    _write_group_header(initiation, message_id, created_at, payer, ordered)
    _write_payment_information(initiation, message_id, payer, ordered, execution_date)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _check_batch(transfers: Sequence[Transfer], control_sum: Decimal, count: int) -> None:
    if not transfers:
        raise DomainError("EMPTY_PAYMENT_FILE", "a payment file needs at least one transfer")
    if isinstance(count, bool) or not isinstance(count, int):
        raise DomainError("CONTROL_TOTAL_MISMATCH", "the count must be an integer", "count")
    if not isinstance(control_sum, Decimal):
        raise DomainError("CONTROL_TOTAL_MISMATCH", "the control sum must be a Decimal", "total")
    foreign = sorted({t.currency for t in transfers} - {SEPA_CURRENCY})
    if foreign:
        raise DomainError(
            "UNSUPPORTED_CURRENCY",
            f"SEPA transfers are in EUR only, not {', '.join(foreign)}",
            "currency",
        )
    references = [t.end_to_end_id for t in transfers]
    if len(set(references)) != len(references):
        raise DomainError("DUPLICATE_REFERENCE", "an end-to-end id appears twice", "endToEndId")
    if len(transfers) != count:
        raise DomainError(
            "CONTROL_TOTAL_MISMATCH",
            f"the run froze {count} transactions but {len(transfers)} were given",
            "count",
        )
    actual = _total(transfers)
    if actual != control_sum:
        raise DomainError(
            "CONTROL_TOTAL_MISMATCH",
            f"the run froze a total of {control_sum} but the transfers sum to {actual}",
            "total",
        )


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
    _add(header, "InitgPty/Nm", _name(payer.name, "payerName"))


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
    _add(batch, "Dbtr/Nm", _name(payer.name, "payerName"))
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
    _add(item, "Cdtr/Nm", _name(transfer.payee_name, "payeeName"))
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
    _add(parent, "CtrlSum", _amount(_total(transfers)))


def _total(transfers: Sequence[Transfer]) -> Decimal:
    return sum((t.amount for t in transfers), Decimal(0))


def _name(text: str, field: str) -> str:
    name = sepa_text(text, NAME_MAX)
    if not name:
        raise DomainError(
            "INVALID_NAME", "the name has no letters the SEPA character set can carry", field
        )
    return name


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
