"""IBAN (ISO 13616) and BIC (ISO 9362) checks: the one validator for entry and payment.

Participant entry and the payment files call the same functions, so an account that is
accepted when a counselor types it is an account the SEPA file can carry. The checks are
schwifty's (length and structure per country from the SWIFT IBAN registry, the ISO 7064
check digits and, with `validate_bban`, the national check digits of the BBAN), plus
the program's own rules: only SEPA scheme countries, and a BIC where the EPC rulebook
needs one. Rules and country lists: docs/payment-files.md "Accounts".

Error messages never echo the account number: they may end up in logs or API payloads.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

from schwifty import BIC, IBAN
from schwifty.exceptions import (
    InvalidBBANChecksum,
    InvalidChecksumDigits,
    InvalidLength,
    NationalChecksumNotVerified,
    SchwiftyException,
)
from schwifty.registry import get_iban_spec

from econ.errors import CommonCode, DomainError

# The EEA: the 27 EU member states plus Iceland, Liechtenstein and Norway. Their overseas
# parts that belong to the EEA (French DOMs, Aland, Azores, Madeira, Canaries) use these
# countries' IBANs.
EEA_COUNTRIES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    "IS", "LI", "NO",
})  # fmt: skip
# SEPA scheme countries outside the EEA (EPC list of countries and territories of the SEPA
# schemes, 2025; Albania, Moldova, Montenegro and North Macedonia joined in 2024-2025).
# Jersey, Guernsey and the Isle of Man use GB IBANs. A transfer to or from one of them
# must carry the payee bank's BIC.
NON_EEA_SEPA_COUNTRIES = frozenset({
    "AD", "AL", "CH", "GB", "GI", "MC", "MD", "ME", "MK", "SM", "VA",
})  # fmt: skip
SEPA_COUNTRIES = EEA_COUNTRIES | NON_EEA_SEPA_COUNTRIES

# ISO 20022 BICIdentifier, the pattern the pain.001.001.03 schema applies: the 7th
# character is a letter or 2-9 and the 8th is not the letter O, so "DEUTDE0F" is refused.
BIC_PATTERN = re.compile(r"[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?", re.ASCII)
# What people type around an IBAN: spaces (also no-break), hyphens, dots, and the word
# "IBAN" (with or without a colon) copied from a bank card or letter.
_SEPARATORS = re.compile(r"[\s\-.\u2010-\u2015]+")
_IBAN_PREFIX = re.compile(r"^\s*IBAN\s*:?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class BankAccount:
    """A payee's account as the payment file needs it: the IBAN and, where needed, the BIC."""

    iban: str
    bic: str | None

    @property
    def country(self) -> str:
        return self.iban[:2]


def normalize_iban(text: str) -> str:
    """The compact, upper-case form: "IBAN de89-3704 ..." -> "DE893704..." (never raises)."""
    return _compact(text).upper()


def _compact(text: str) -> str:
    return _SEPARATORS.sub("", _IBAN_PREFIX.sub("", text))


def normalize_bic(text: str) -> str:
    """The compact, upper-case form: "deut de ff" -> "DEUTDEFF" (never raises)."""
    return _SEPARATORS.sub("", text).upper()


def iban_key(text: str) -> str | None:
    """What `validate_iban` returns for `text` if it accepts it, without the checks: None
    where it never would (not letters and digits). Whether it accepts depends on this key
    alone, so two texts with one key are the same account or both refused: a cheap way
    to compare many stored accounts (schwifty's checks are most of validate_iban's cost)."""
    typed = _compact(text)
    if not typed or not typed.isascii() or not typed.isalnum():
        return None
    return typed.upper()


def validate_iban(text: str, field: str = "bankAccount") -> str:
    """Return the normalised IBAN of a SEPA country, or raise DomainError(INVALID_IBAN)."""
    if not isinstance(text, str):
        raise DomainError(CommonCode.INVALID_IBAN, "the IBAN must be text", field)
    typed = _compact(text)
    if not typed:
        raise DomainError(CommonCode.INVALID_IBAN, "enter the IBAN", field)
    # Checked before upper-casing: some non-ASCII letters upper-case to ASCII ("ı" -> "I").
    if not typed.isascii() or not typed.isalnum():
        raise DomainError(
            CommonCode.INVALID_IBAN, "the IBAN may only contain letters and digits", field
        )
    compact = typed.upper()
    if len(compact) < 5 or not (compact[:2].isalpha() and compact[2:4].isdigit()):
        raise DomainError(
            CommonCode.INVALID_IBAN,
            "an IBAN is a country code, two check digits and the account",
            field,
        )
    if compact[:2] not in SEPA_COUNTRIES:
        raise DomainError(
            CommonCode.INVALID_IBAN,
            f"accounts in {compact[:2]} cannot receive SEPA transfers; "
            "choose cash or a prepaid card as her payment method",
            field,
        )
    try:
        with warnings.catch_warnings():
            # Some countries have no national check digits schwifty knows: not an error.
            warnings.simplefilter("ignore", NationalChecksumNotVerified)
            iban = IBAN(compact, validate_bban=True)
    except SchwiftyException as exc:
        raise DomainError(CommonCode.INVALID_IBAN, _iban_problem(exc, compact[:2]), field) from None
    return str(iban.compact)


def _iban_problem(exc: SchwiftyException, country: str) -> str:
    """A plain sentence for each schwifty refusal (its own messages quote the account)."""
    if isinstance(exc, InvalidLength):
        return f"an IBAN from {country} has {iban_length(country)} characters: check every digit"
    if isinstance(exc, InvalidChecksumDigits):
        return "the IBAN check digits do not match: check every digit"
    if isinstance(exc, InvalidBBANChecksum):
        return "the account's national check digits do not match: check every digit"
    return f"this is not the form of an account number from {country}: check letters and digits"


def iban_length(country: str) -> int:
    """How many characters an IBAN of this country has (the SWIFT IBAN registry)."""
    return get_iban_spec(country).iban_length


def validate_bic(text: str | None, field: str = "bic") -> str | None:
    """Return the normalised BIC (8 or 11 characters), None when absent, or raise INVALID_BIC."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise DomainError(CommonCode.INVALID_BIC, "the BIC must be text", field)
    bic = normalize_bic(text)
    if not bic:
        return None
    # ASCII checked on the text as typed: "ı" upper-cases to an ASCII "I".
    if not text.isascii() or not BIC_PATTERN.fullmatch(bic):
        raise DomainError(
            CommonCode.INVALID_BIC, "a BIC has 8 or 11 letters and digits, like DEUTDEFF", field
        )
    try:
        BIC(bic)  # the country code must exist
    except SchwiftyException:
        raise DomainError(
            CommonCode.INVALID_BIC, "the BIC's country code does not exist", field
        ) from None
    return bic


def bic_required(payee_country: str, payer_country: str | None = None) -> bool:
    """The EPC rulebook asks for the payee bank's BIC when either side is outside the EEA."""
    return payee_country in NON_EEA_SEPA_COUNTRIES or (
        payer_country is not None and payer_country in NON_EEA_SEPA_COUNTRIES
    )


def validate_account(
    iban: str,
    bic: str | None = None,
    *,
    payer_country: str | None = None,
    iban_field: str = "bankAccount",
    bic_field: str = "bankBic",
) -> BankAccount:
    """Both parts of a payee's account, checked together: raise INVALID_IBAN, INVALID_BIC or
    BIC_REQUIRED (naming the field to fix), else the normalised account."""
    clean_iban = validate_iban(iban, iban_field)
    clean_bic = validate_bic(bic, bic_field)
    country = clean_iban[:2]
    if clean_bic is None and bic_required(country, payer_country):
        raise DomainError(
            CommonCode.BIC_REQUIRED,
            f"transfers to accounts in {country} need the bank's BIC (8 or 11 characters)",
            bic_field,
        )
    return BankAccount(clean_iban, clean_bic)
