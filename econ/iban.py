"""IBAN (ISO 13616) and BIC (ISO 9362) checks for the countries of the SEPA scheme.

Error messages never echo the account number: they may end up in logs or API payloads.
"""

from __future__ import annotations

import re

from econ.errors import DomainError

# IBAN length per country code, from the SWIFT IBAN registry, for the countries in the
# EPC list of SEPA scheme countries (AL, MD, ME and MK joined the scheme in 2024-2025).
# Territories that use another country's IBAN (e.g. Aland uses FI, Jersey uses GB) are
# covered by that country's code.
SEPA_IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AL": 28, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24,
    "DE": 22, "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23,
    "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20,
    "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MT": 31, "NL": 18,
    "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27,
    "VA": 22,
}  # fmt: skip

_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}", re.ASCII)
_BIC_SHAPE = re.compile(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?", re.ASCII)
_SPACES = re.compile(r"\s+")


def normalize_iban(text: str) -> str:
    """Drop all whitespace and upper-case: "de89 3704 ..." -> "DE893704..."."""
    return _SPACES.sub("", text).upper()


def validate_iban(text: str, field: str = "bankAccount") -> str:
    """Return the normalised IBAN, or raise DomainError(INVALID_IBAN) naming `field`."""
    if not isinstance(text, str):
        raise DomainError("INVALID_IBAN", "the IBAN must be text", field)
    compact = _SPACES.sub("", text)
    # Checked before upper-casing: some non-ASCII letters upper-case to ASCII ("ı" -> "I").
    if not compact.isascii():
        raise DomainError("INVALID_IBAN", "the IBAN may only contain letters and digits", field)
    iban = compact.upper()
    if not _IBAN_SHAPE.fullmatch(iban):
        raise DomainError(
            "INVALID_IBAN", "an IBAN is a country code, two check digits and the account", field
        )
    expected_length = SEPA_IBAN_LENGTHS.get(iban[:2])
    if expected_length is None:
        raise DomainError("INVALID_IBAN", f"{iban[:2]} is not a SEPA country", field)
    if len(iban) != expected_length:
        raise DomainError(
            "INVALID_IBAN",
            f"an IBAN from {iban[:2]} has {expected_length} characters, not {len(iban)}",
            field,
        )
    if mod97(iban) != 1:
        raise DomainError("INVALID_IBAN", "the IBAN check digits do not match", field)
    return iban


def validate_bic(text: str | None, field: str = "bic") -> str | None:
    """Return the normalised BIC (8 or 11 characters), None when absent, or raise INVALID_BIC."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise DomainError("INVALID_BIC", "the BIC must be text", field)
    compact = _SPACES.sub("", text)
    if not compact:
        return None
    bic = compact.upper()
    if not compact.isascii() or not _BIC_SHAPE.fullmatch(bic):
        raise DomainError(
            "INVALID_BIC", "a BIC has 8 or 11 letters and digits, like DEUTDEFF", field
        )
    return bic


def mod97(iban: str) -> int:
    """ISO 13616 check: move the first four characters to the end, letters A=10 .. Z=35."""
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97
