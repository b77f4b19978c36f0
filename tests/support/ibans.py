"""Hypothesis strategies for account numbers, shared by the IBAN, fuzz and file tests.

Valid IBANs come from schwifty's generator, driven by a seed hypothesis draws, so that a
failing example shrinks and replays; national check digits are computed per bank.
"""

from __future__ import annotations

from random import Random

from hypothesis import strategies as st
from schwifty import IBAN

from econ.iban import SEPA_COUNTRIES


def reference_mod97(iban: str) -> int:
    """Independent ISO 7064 MOD 97-10: digit by digit, as done on paper."""
    remainder = 0
    for ch in iban[4:] + iban[:4]:
        for digit in str(int(ch, 36)):
            remainder = (remainder * 10 + int(digit)) % 97
    return remainder


@st.composite
def sepa_ibans(draw, countries: frozenset[str] = SEPA_COUNTRIES) -> str:
    """A valid IBAN of one of `countries`, in compact form."""
    country = draw(st.sampled_from(sorted(countries)))
    seed = draw(st.integers(min_value=0, max_value=2**32))
    return str(IBAN.random(country_code=country, random=Random(seed), use_registry=False))


def with_one_digit_changed(iban: str) -> str:
    """Change the last character of the account part: the check digits no longer hold."""
    last = iban[-1]
    other = ("1" if last == "0" else "0") if last.isdigit() else ("B" if last == "A" else "A")
    return iban[:-1] + other


def print_form(iban: str) -> str:
    """As printed on a bank card: groups of four, lower case, with the word IBAN before."""
    return "IBAN " + " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)).lower()


def with_check_digits(country: str, bban: str) -> str:
    """An IBAN for any BBAN, with ISO 13616 check digits that hold (98 - mod97 of CC00)."""
    check = 98 - reference_mod97(f"{country}00{bban}")
    return f"{country}{check:02d}{bban}"


def shortened_with_fixed_check(iban: str) -> str:
    """One character short, with check digits recomputed so that mod 97 still holds."""
    return with_check_digits(iban[:2], iban[4:-1])
