"""CSV payment files: bank transfers and prepaid-card loads.

UTF-8 without BOM, comma-separated, RFC 4180 line ends, a header row, amounts as
"1234.56". Finance staff open these in spreadsheets, so no cell may start with a
character a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import BinaryIO

from econ.grouping import batched
from econ.stipends.files.screening import WrittenFile, screen_transfers
from econ.stipends.files.types import CardLoad, Transfer

TRANSFER_HEADER = (
    "reference", "payee_name", "payee_iban", "payee_bic", "amount", "currency", "remittance",
)  # fmt: skip
CARD_HEADER = ("reference", "card_reference", "payee_name", "amount", "currency")

# OWASP "CSV injection": these leading characters make a spreadsheet evaluate the cell.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_LINE_BREAKS = re.compile(r"[\r\n]+")


def build_transfer_csv(transfers: Iterable[Transfer]) -> WrittenFile:
    """One row per transfer that can be written, sorted by reference so the same set gives
    the same bytes; the others come back in `rejected` (account, BIC, amount; names stay
    as entered). `content` is None when no row could be written."""
    screened = screen_transfers(sorted(transfers, key=lambda t: t.end_to_end_id), sepa=False)
    if not screened.accepted:
        return WrittenFile(None, (), screened.rejected)
    out = io.BytesIO()
    write_transfer_csv(out, screened.accepted)
    return WrittenFile(out.getvalue(), screened.accepted, screened.rejected)


def write_transfer_csv(out: BinaryIO, transfers: Iterable[Transfer]) -> None:
    """Write the rows as they come: transfers screened (`sepa=False`) and in reference order."""
    rows = (
        (
            t.end_to_end_id,
            t.payee_name,
            t.payee_iban,
            t.payee_bic or "",
            _amount(t.amount),
            t.currency,
            t.remittance,
        )
        for t in transfers
    )
    _write(out, TRANSFER_HEADER, rows)


def build_card_csv(loads: Iterable[CardLoad]) -> bytes:
    """One row per card load, sorted by reference."""
    out = io.BytesIO()
    write_card_csv(out, sorted(loads, key=lambda load: load.reference))
    return out.getvalue()


def write_card_csv(out: BinaryIO, loads: Iterable[CardLoad]) -> None:
    """Write the rows as they come (in reference order)."""
    rows = (
        (load.reference, load.card_reference, load.payee_name, _amount(load.amount), load.currency)
        for load in loads
    )
    _write(out, CARD_HEADER, rows)


def safe_cell(text: str) -> str:
    """Keep a cell on one line and stop spreadsheets from reading it as a formula."""
    flat = _LINE_BREAKS.sub(" ", text)
    return "'" + flat if flat.startswith(_FORMULA_START) else flat


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


# Rows are encoded and written this many at a time.
_ROWS_PER_WRITE = 500


def _write(out: BinaryIO, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for chunk in batched(rows, _ROWS_PER_WRITE):
        writer.writerows([safe_cell(cell) for cell in row] for row in chunk)
        out.write(buffer.getvalue().encode("utf-8"))
        buffer.seek(0)
        buffer.truncate()
    out.write(buffer.getvalue().encode("utf-8"))  # the header alone, when no row came
