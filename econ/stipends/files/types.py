"""The plain values a payment file is built from. Constructing one validates it.

IBANs and BICs are normalised on construction, so two equal transfers compare equal
however their account was typed. Names stay as entered (UTF-8); the SEPA writer reduces
them to the SEPA character set, the CSV writers keep them. A transfer that cannot be
written is refused by the writer on its own (screening.py), never the whole file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from econ.errors import CommonCode, DomainError
from econ.iban import normalize_bic, normalize_iban, validate_bic, validate_iban
from econ.money import MAX_CENTS, to_cents
from econ.stipends.errors import StipendCode

# EndToEndId and our other references: at most 35 characters (pain.001 Max35Text), kept
# to letters, digits and "-" so that every bank echoes them back unchanged.
REFERENCE_PATTERN = re.compile(r"[A-Za-z0-9-]{1,35}", re.ASCII)
_CURRENCY = re.compile(r"[A-Z]{3}", re.ASCII)


def check_reference(value: object, field: str) -> str:
    """Return `value` if it is a valid payment reference, else raise INVALID_REFERENCE."""
    if not isinstance(value, str) or not REFERENCE_PATTERN.fullmatch(value):
        raise DomainError(
            StipendCode.INVALID_REFERENCE, "a reference is 1-35 letters, digits or '-'", field
        )
    return value


def check_payment_amount(value: object, field: str = "amount") -> Decimal:
    """A payable amount: a Decimal of at least 0.01 with at most two decimals."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise DomainError(CommonCode.INVALID_AMOUNT, "the amount must be a Decimal", field)
    try:
        cents = to_cents(value)
    except ValueError as exc:
        raise DomainError(
            CommonCode.INVALID_AMOUNT, "the amount has more than two decimals", field
        ) from exc
    if cents <= 0:
        raise DomainError(CommonCode.INVALID_AMOUNT, "a payment must be at least 0.01", field)
    if cents >= MAX_CENTS:
        raise DomainError(CommonCode.INVALID_AMOUNT, "the amount is too large", field)
    return value


def _check_name(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DomainError(StipendCode.INVALID_NAME, "a name is required", field)
    return value


def _check_currency(value: object) -> str:
    if not isinstance(value, str) or not _CURRENCY.fullmatch(value):
        raise DomainError(
            StipendCode.INVALID_CURRENCY, "a currency is a three-letter code", "currency"
        )
    return value


@dataclass(frozen=True)
class Payer:
    """The program's own account. `display_name` is the neutral name payees see."""

    name: str
    iban: str
    display_name: str
    bic: str | None = None

    def __post_init__(self) -> None:
        _check_name(self.name, "payerName")
        _check_name(self.display_name, "displayName")
        object.__setattr__(self, "iban", validate_iban(self.iban, "payerIban"))
        object.__setattr__(self, "bic", validate_bic(self.bic, "payerBic"))


@dataclass(frozen=True)
class Transfer:
    """One credit transfer; `end_to_end_id` is the attempt id the bank reports back.

    Only the reference and the types are checked here. Whether the name, account, amount
    and currency can be written is decided per transfer by the file writer
    (`screening.screen_transfer`), which refuses that transfer alone, with a reason.
    """

    end_to_end_id: str
    payee_name: str
    payee_iban: str
    amount: Decimal
    currency: str = "EUR"
    remittance: str = ""
    payee_bic: str | None = None

    def __post_init__(self) -> None:
        check_reference(self.end_to_end_id, "endToEndId")
        if not isinstance(self.amount, Decimal):
            raise DomainError(CommonCode.INVALID_AMOUNT, "the amount must be a Decimal", "amount")
        for value, field in (
            (self.payee_name, "payeeName"),
            (self.payee_iban, "payeeIban"),
            (self.currency, "currency"),
            (self.remittance, "remittance"),
        ):
            if not isinstance(value, str):
                raise DomainError(StipendCode.INVALID_TRANSFER, f"{field} must be text", field)
        if self.payee_bic is not None and not isinstance(self.payee_bic, str):
            raise DomainError(StipendCode.INVALID_TRANSFER, "payeeBic must be text", "payeeBic")
        # Normalised, never refused here, so two equal transfers compare equal.
        object.__setattr__(self, "payee_iban", normalize_iban(self.payee_iban))
        bic = normalize_bic(self.payee_bic) if self.payee_bic else None
        object.__setattr__(self, "payee_bic", bic or None)


@dataclass(frozen=True)
class CardLoad:
    """A load onto a participant's prepaid card; `reference` is the attempt id."""

    card_reference: str
    payee_name: str
    amount: Decimal
    reference: str
    currency: str = "EUR"

    def __post_init__(self) -> None:
        check_reference(self.reference, "reference")
        if not isinstance(self.card_reference, str) or not self.card_reference.strip():
            raise DomainError(
                StipendCode.INVALID_CARD, "a card reference is required", "cardReference"
            )
        _check_name(self.payee_name, "payeeName")
        check_payment_amount(self.amount)
        _check_currency(self.currency)


@dataclass(frozen=True)
class CashPayment:
    """Cash collected at the office against a signed receipt."""

    reference: str
    payee_name: str
    amount: Decimal

    def __post_init__(self) -> None:
        check_reference(self.reference, "reference")
        _check_name(self.payee_name, "payeeName")
        check_payment_amount(self.amount)
