"""Payment file adapters: one per provider's file, each screening a payee for its rules
and then writing the file as the payees come (docs/payment-files.md)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import BinaryIO, Protocol

from econ.db import utcnow
from econ.settings.services import installation_id
from econ.stipends.files.business_days import next_target_business_day
from econ.stipends.files.csv_files import safe_cell, write_card_csv, write_transfer_csv
from econ.stipends.files.ids import message_id
from econ.stipends.files.names import sepa_name
from econ.stipends.files.screening import RejectedLine, screen_transfer
from econ.stipends.files.sepa import write_pain001
from econ.stipends.files.types import CardLoad, CashPayment, Payer, Transfer


@dataclass(frozen=True)
class Payee:
    """An attempt with her payee details decrypted, ready for a file."""

    reference: str
    name: str
    account: str | None
    amount: Decimal
    period: str  # the text her bank shows: the stipend's month, or the loan it pays out
    bic: str | None = None


@dataclass(frozen=True)
class Batch:
    """What a file's writer knows before its first payee (from the first pass)."""

    run_id: int
    method: str
    number: int
    control_count: int
    control_total: Decimal
    settings: dict
    period: str  # the run's month: the cash list's title


class PaymentAdapter(Protocol):
    """Screens each payee for one provider's file, then writes the file as they come."""

    file_format: str
    extension: str

    def screen(self, payee: Payee) -> Payee | RejectedLine:
        """Her payment as the file will carry it, or why it cannot."""

    def write(self, out: BinaryIO, batch: Batch, payees: Iterable[Payee]) -> None:
        """Write the file of `payees` (each accepted by `screen`, in reference order) to
        `out`; their name and account are read back from the attempts."""


class SepaAdapter:
    file_format, extension = "SEPA", "xml"

    def __init__(self, settings: dict) -> None:
        self.settings = settings

    @cached_property
    def payer(self) -> Payer:
        display = self.settings["program_display_name"]
        return Payer(name=display, iban=self.settings["program_bank_iban"], display_name=display)

    def screen(self, payee: Payee) -> Payee | RejectedLine:
        transfer = Transfer(
            payee.reference, payee.name, payee.account, payee.amount, "EUR", payee.period, payee.bic
        )
        screened = screen_transfer(transfer, sepa=True, payer_country=self.payer.iban[:2])
        if isinstance(screened, RejectedLine):
            return screened
        return replace(payee, account=screened.payee_iban, bic=screened.payee_bic)

    def write(self, out: BinaryIO, batch: Batch, payees: Iterable[Payee]) -> None:
        # Account, BIC and amount were checked by `screen` in this transaction, from the
        # details the attempt sealed: only the name's SEPA form is derived again.
        transfers = (
            Transfer(p.reference, sepa_name(p.name), p.account, p.amount, "EUR", p.period, p.bic)
            for p in payees
        )
        write_pain001(
            out,
            message_id(installation_id(), batch.run_id, batch.method, batch.number),
            utcnow(),
            self.payer,
            transfers,
            next_target_business_day(date.today()),
            batch.control_total,
            batch.control_count,
        )


class TransferCsvAdapter:
    file_format, extension = "CSV", "csv"

    def __init__(self, settings: dict) -> None:
        self.settings = settings

    def _screened(self, p: Payee) -> Transfer | RejectedLine:
        currency = self.settings["currency"]
        transfer = Transfer(p.reference, p.name, p.account, p.amount, currency, p.period, p.bic)
        return screen_transfer(transfer, sepa=False)

    def screen(self, payee: Payee) -> Payee | RejectedLine:
        screened = self._screened(payee)
        return screened if isinstance(screened, RejectedLine) else payee

    def write(self, out: BinaryIO, batch: Batch, payees: Iterable[Payee]) -> None:
        write_transfer_csv(out, (_accepted(self._screened(p)) for p in payees))


class CardCsvAdapter:
    """Card and cash files carry every payee (no bank rules to refuse one)."""

    file_format, extension = "CSV", "csv"

    def __init__(self, settings: dict) -> None:
        self.settings = settings

    def screen(self, payee: Payee) -> Payee | RejectedLine:
        return payee

    def write(self, out: BinaryIO, batch: Batch, payees: Iterable[Payee]) -> None:
        currency = self.settings["currency"]
        write_card_csv(
            out, (CardLoad(p.account, p.name, p.amount, p.reference, currency) for p in payees)
        )


class CashListAdapter:
    """A printable list: one block per payment with lines to sign on collection."""

    file_format, extension = "CASH_LIST", "txt"

    def __init__(self, settings: dict) -> None:
        self.settings = settings

    def screen(self, payee: Payee) -> Payee | RejectedLine:
        return payee

    def write(self, out: BinaryIO, batch: Batch, payees: Iterable[Payee]) -> None:
        title = f"{self.settings['program_display_name']} - cash payments {batch.period}"
        _lines(out, [title, "=" * len(title), ""])
        for p in payees:
            cash = CashPayment(p.reference, p.name, p.amount)
            _lines(
                out,
                [
                    f"Reference: {cash.reference}",
                    f"Name:      {safe_cell(cash.payee_name)}",
                    f"Amount:    {cash.amount:.2f} {self.settings['currency']}",
                    "Received (signature): ______________________  Date: ____________",
                    "Paid out by (staff):  ______________________",
                    "",
                ],
            )
        _lines(out, [f"Payments: {batch.control_count}   Total: {batch.control_total:.2f}"])


def _lines(out: BinaryIO, lines: list[str]) -> None:
    out.write("".join(line + "\r\n" for line in lines).encode())


def _accepted(screened: Transfer | RejectedLine) -> Transfer:
    """The second screening of a payee the first one accepted, from the same details."""
    if isinstance(screened, RejectedLine):
        raise RuntimeError(f"attempt {screened.reference} changed between the two passes")
    return screened


def adapter_for(method: str, transfer_format: str | None, settings: dict) -> PaymentAdapter:
    if method == "BANK_TRANSFER":
        if transfer_format == "SEPA":
            return SepaAdapter(settings)
        return TransferCsvAdapter(settings)
    if method == "PREPAID_CARD":
        return CardCsvAdapter(settings)
    return CashListAdapter(settings)
