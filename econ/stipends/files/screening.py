"""Which transfers a file can carry, and why the others cannot: one decision per transfer.

A payment file is written for the transfers that pass, and every other one comes back as
a `RejectedLine` with a reason code and a plain sentence, so that one bad line never
stops the file. The caller holds the rejected lines and sends the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from econ.errors import DomainError
from econ.iban import validate_account
from econ.stipends.errors import StipendCode
from econ.stipends.files.names import sepa_name
from econ.stipends.files.types import Transfer, check_payment_amount

# EPC rulebook: an SCT is at most 999,999,999.99 EUR.
SEPA_MAX_AMOUNT = Decimal("999999999.99")
SEPA_CURRENCY = "EUR"


class RejectReason(StrEnum):
    INVALID_ACCOUNT = "INVALID_ACCOUNT"  # not an IBAN of a SEPA country
    INVALID_BIC = "INVALID_BIC"  # not a BIC the schema accepts
    BIC_REQUIRED = "BIC_REQUIRED"  # a bank outside the EEA, and no BIC
    INVALID_NAME = "INVALID_NAME"  # no letter left in the SEPA character set
    INVALID_AMOUNT = "INVALID_AMOUNT"  # below 0.01, above the SEPA maximum, or sub-cent
    UNSUPPORTED_CURRENCY = "UNSUPPORTED_CURRENCY"  # SEPA is EUR only


@dataclass(frozen=True)
class RejectedLine:
    """A transfer left out of the file; `detail` never quotes the account number."""

    reference: str
    amount: Decimal
    reason: RejectReason
    detail: str
    field: str


@dataclass(frozen=True)
class Screened:
    """The transfers a file will carry (cleaned: IBAN, BIC and, for SEPA, the name) and
    those it will not."""

    accepted: tuple[Transfer, ...]
    rejected: tuple[RejectedLine, ...]


@dataclass(frozen=True)
class WrittenFile:
    """What a writer returns: the file, what it carries and what it left out, and why.

    `content` is None when no transfer could be written (then no file is to be stored).
    `count` and `total` are the file's own totals (NbOfTxs and CtrlSum for SEPA); with the
    rejected lines they add up to the run's frozen control totals.
    """

    content: bytes | None
    written: tuple[Transfer, ...]
    rejected: tuple[RejectedLine, ...]

    @property
    def count(self) -> int:
        return len(self.written)

    @property
    def total(self) -> Decimal:
        return total_of(self.written)

    @property
    def references(self) -> tuple[str, ...]:
        return tuple(t.end_to_end_id for t in self.written)


_ACCOUNT_REASONS = {
    "INVALID_IBAN": RejectReason.INVALID_ACCOUNT,
    "INVALID_BIC": RejectReason.INVALID_BIC,
    "BIC_REQUIRED": RejectReason.BIC_REQUIRED,
}


def screen_transfer(
    transfer: Transfer, *, sepa: bool, payer_country: str | None = None
) -> Transfer | RejectedLine:
    """The cleaned transfer, or why it cannot be written.

    `sepa`: the SEPA rules apply (EUR only, names in the SEPA character set, the EPC
    maximum amount); otherwise only the account and amount are checked (CSV keeps the
    name as entered). `payer_country` is the country of the program's own IBAN: a payer
    outside the EEA needs every payee's BIC.
    """
    try:
        amount = check_payment_amount(transfer.amount)
    except DomainError as exc:
        return _rejected(transfer, RejectReason.INVALID_AMOUNT, exc.message, "amount")
    if sepa and amount > SEPA_MAX_AMOUNT:
        return _rejected(
            transfer,
            RejectReason.INVALID_AMOUNT,
            "a SEPA transfer is at most 999999999.99",
            "amount",
        )
    if sepa and transfer.currency != SEPA_CURRENCY:
        return _rejected(
            transfer,
            RejectReason.UNSUPPORTED_CURRENCY,
            "SEPA transfers are in EUR only",
            "currency",
        )
    try:
        account = validate_account(
            transfer.payee_iban,
            transfer.payee_bic,
            payer_country=payer_country if sepa else None,
            iban_field="payeeIban",
            bic_field="payeeBic",
        )
    except DomainError as exc:
        return _rejected(transfer, _ACCOUNT_REASONS[exc.code], exc.message, exc.field or "")
    name = sepa_name(transfer.payee_name) if sepa else transfer.payee_name.strip()
    if not name:
        why = "the name has no letter the SEPA character set can carry" if sepa else "no name"
        return _rejected(transfer, RejectReason.INVALID_NAME, why, "payeeName")
    return replace(transfer, payee_name=name, payee_iban=account.iban, payee_bic=account.bic)


def screen_transfers(
    transfers: Iterable[Transfer], *, sepa: bool, payer_country: str | None = None
) -> Screened:
    """`screen_transfer` for each, in the order given."""
    accepted: list[Transfer] = []
    rejected: list[RejectedLine] = []
    for transfer in transfers:
        outcome = screen_transfer(transfer, sepa=sepa, payer_country=payer_country)
        (rejected if isinstance(outcome, RejectedLine) else accepted).append(outcome)
    return Screened(tuple(accepted), tuple(rejected))


def check_batch(transfers: Sequence[Transfer], control_sum: Decimal, count: int) -> None:
    """The transfers given must be exactly the run's frozen lines: raise otherwise.

    These are errors of the caller, not of a line, so they stop the whole file.
    """
    if not transfers:
        raise DomainError(
            StipendCode.EMPTY_PAYMENT_FILE, "a payment file needs at least one transfer"
        )
    if isinstance(count, bool) or not isinstance(count, int):
        raise DomainError(
            StipendCode.CONTROL_TOTAL_MISMATCH, "the count must be an integer", "count"
        )
    if not isinstance(control_sum, Decimal):
        raise DomainError(
            StipendCode.CONTROL_TOTAL_MISMATCH, "the control sum must be a Decimal", "total"
        )
    references = [t.end_to_end_id for t in transfers]
    if len(set(references)) != len(references):
        raise DomainError(
            StipendCode.DUPLICATE_REFERENCE, "an end-to-end id appears twice", "endToEndId"
        )
    if len(transfers) != count:
        raise DomainError(
            StipendCode.CONTROL_TOTAL_MISMATCH,
            f"the run froze {count} transactions but {len(transfers)} were given",
            "count",
        )
    actual = total_of(transfers)
    if actual != control_sum:
        raise DomainError(
            StipendCode.CONTROL_TOTAL_MISMATCH,
            f"the run froze a total of {control_sum} but the transfers sum to {actual}",
            "total",
        )


def total_of(items: Iterable[Transfer | RejectedLine]) -> Decimal:
    return sum((item.amount for item in items), Decimal(0))


def _rejected(transfer: Transfer, reason: RejectReason, detail: str, field: str) -> RejectedLine:
    return RejectedLine(transfer.end_to_end_id, transfer.amount, reason, detail, field)
