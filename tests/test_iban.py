"""econ.iban: the one IBAN/BIC validator that participant entry and the payment files share."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from econ.errors import DomainError
from econ.iban import (
    EEA_COUNTRIES,
    NON_EEA_SEPA_COUNTRIES,
    SEPA_COUNTRIES,
    BankAccount,
    bic_required,
    iban_key,
    iban_length,
    normalize_iban,
    validate_account,
    validate_bic,
    validate_iban,
)
from econ.settings.services import program_settings, update_settings
from tests.support.ibans import (
    print_form,
    reference_mod97,
    sepa_ibans,
    shortened_with_fixed_check,
    with_check_digits,
    with_one_digit_changed,
)

# Example IBANs published in the SWIFT IBAN registry and the ECBS IBAN standard.
KNOWN_GOOD_IBANS = [
    "DE89370400440532013000",
    "GB82WEST12345698765432",
    "FR1420041010050500013M02606",
    "NL91ABNA0417164300",
    "BE68539007547034",
    "AT611904300234573201",
    "ES9121000418450200051332",
    "IT60X0542811101000000123456",
    "NO9386011117947",
    "MT84MALT011000012345MTLCAST001S",
    "CH9300762011623852957",
    "AL47212110090000000235698741",
    "MK07250120000058984",
]


@pytest.mark.parametrize("iban", KNOWN_GOOD_IBANS)
def test_published_example_ibans_are_valid(iban):
    assert validate_iban(iban) == iban


@pytest.mark.parametrize(
    "typed",
    [
        " de89 3704\t0044 0532 0130 00 ",
        "DE89-3704-0044-0532-0130-00",
        "IBAN DE89 3704 0044 0532 0130 00",  # copied from a bank letter: not "IBANDE89..."
        "iban: de89370400440532013000",
        "DE89\u00a03704\u00a00044\u00a00532\u00a00130\u00a000",  # no-break spaces
        "DE89.3704.0044.0532.0130.00",
    ],
)
def test_iban_is_normalised_from_what_people_type(typed):
    assert normalize_iban(typed) == "DE89370400440532013000"
    assert validate_iban(typed) == "DE89370400440532013000"


# The 21-character DE IBAN below has check digits recomputed so that mod 97 holds: only
# the country's length rule (schwifty's registry) catches it.
SHORT_DE = with_check_digits("DE", "37040044053201300")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("DE88370400440532013000", "check digits"),  # DE89... with the check digits changed
        ("DE89370400440532013001", "check digits"),  # last digit changed
        (SHORT_DE, "22 characters"),  # one digit short, mod 97 fixed
        ("DE8937040044053201300", "22 characters"),  # one digit short
        (with_check_digits("DE", "370400440532013O00"), "letters and digits"),  # O for 0
        (with_check_digits("FR", "20041010050500013M02607"), "national check digits"),
        ("BR1800360305000010009795493C1", "cannot receive SEPA transfers"),  # valid in BR
        ("XK051212012345678906", "cannot receive SEPA transfers"),  # valid in Kosovo
        ("ıT60X0542811101000000123456", "letters and digits"),  # dotless i upper-cases to I
        ("DE89_3704", "letters and digits"),
        ("", "enter the IBAN"),
        ("12345678901234567890", "country code"),
        ("ZZ12", "country code"),
    ],
)
def test_bad_ibans_are_refused_with_the_field(text, why):
    with pytest.raises(DomainError) as err:
        validate_iban(text, field="payeeIban")
    assert (err.value.code, err.value.field) == ("INVALID_IBAN", "payeeIban")
    assert why in err.value.message


def test_iban_error_never_echoes_the_account():
    for text in ("DE88370400440532013000", SHORT_DE, "FR8420041010050500013M02607"):
        with pytest.raises(DomainError) as err:
            validate_iban(text)
        assert "0532013" not in err.value.message and "5000" not in err.value.message


def test_the_sepa_countries_are_the_eea_and_the_non_eea_scheme_members():
    assert len(EEA_COUNTRIES) == 30  # EU 27 + IS, LI, NO
    assert EEA_COUNTRIES.isdisjoint(NON_EEA_SEPA_COUNTRIES)
    assert {"CH", "GB", "MC", "SM", "VA", "AD", "GI"} <= NON_EEA_SEPA_COUNTRIES
    assert "BR" not in SEPA_COUNTRIES and "XK" not in SEPA_COUNTRIES


@given(sepa_ibans())
@settings(max_examples=200, deadline=None)
def test_every_generated_sepa_iban_passes_in_every_printed_form(iban):
    assert validate_iban(iban) == iban
    assert validate_iban(print_form(iban)) == iban
    assert len(iban) == iban_length(iban[:2]) and reference_mod97(iban) == 1


@given(sepa_ibans())
@settings(max_examples=200, deadline=None)
def test_a_changed_character_or_a_dropped_one_is_refused(iban):
    for broken in (with_one_digit_changed(iban), shortened_with_fixed_check(iban)):
        with pytest.raises(DomainError) as err:
            validate_iban(broken)
        assert err.value.code == "INVALID_IBAN"


@given(st.one_of(st.text(max_size=40), st.from_regex(r"[A-Za-z]{2}[0-9]{2}[A-Za-z0-9 ]{8,32}")))
@settings(max_examples=200, deadline=None)
def test_any_string_gives_a_valid_iban_or_a_domain_error(text):
    try:
        iban = validate_iban(text)
    except DomainError as err:
        assert err.code == "INVALID_IBAN" and err.message
        return
    assert iban == normalize_iban(text)
    assert iban[:2] in SEPA_COUNTRIES
    assert len(iban) == iban_length(iban[:2]) and reference_mod97(iban) == 1


# --- BIC ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, None),
        ("", None),
        ("  ", None),
        ("deutdeff", "DEUTDEFF"),
        ("DEUT DE FF 500", "DEUTDEFF500"),
        ("UBSWCHZH80A", "UBSWCHZH80A"),
    ],
)
def test_bic_is_optional_and_normalised(text, expected):
    assert validate_bic(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "DEUTDE0F",  # 7th character 0: the XSD's BICIdentifier pattern refuses it
        "DEUTDE1F",  # 7th character 1
        "DEUTDEFO",  # 8th character the letter O
        "DEUTDEF",
        "DEUTDEFF5",
        "DEU1DEFF",
        "DEUTDEFF5000",
        "DÉUTDEFF",
        "DEUTDEFı",  # upper-cases to an ASCII I
        "DEUTZZFF",  # no country ZZ
    ],
)
def test_bad_bics_are_refused(text):
    with pytest.raises(DomainError) as err:
        validate_bic(text, field="payeeBic")
    assert (err.value.code, err.value.field) == ("INVALID_BIC", "payeeBic")


def test_bic_is_required_where_the_payee_or_payer_bank_is_outside_the_eea():
    assert bic_required("CH") and bic_required("GB") and bic_required("SM")
    assert not bic_required("DE") and not bic_required("NO")
    assert bic_required("DE", payer_country="CH")
    assert not bic_required("FR", payer_country="DE")


def test_validate_account_checks_both_parts_and_names_the_field_to_fix():
    assert validate_account("DE89 3704 0044 0532 0130 00") == BankAccount(
        "DE89370400440532013000", None
    )
    ch = validate_account("CH93 0076 2011 6238 5295 7", "ubswchzh80a")
    assert (ch.iban, ch.bic, ch.country) == ("CH9300762011623852957", "UBSWCHZH80A", "CH")
    with pytest.raises(DomainError) as err:
        validate_account("CH9300762011623852957", None)
    assert (err.value.code, err.value.field) == ("BIC_REQUIRED", "bankBic")
    assert "CH" in err.value.message
    with pytest.raises(DomainError) as err:
        validate_account("GB82WEST12345698765432", "DEUTDE0F")
    assert (err.value.code, err.value.field) == ("INVALID_BIC", "bankBic")
    with pytest.raises(DomainError) as err:
        validate_account("BR1800360305000010009795493C1", "ITAUBRSP")
    assert (err.value.code, err.value.field) == ("INVALID_IBAN", "bankAccount")


def test_the_program_account_setting_is_checked_by_the_same_validator(people):
    _, admin = people.admin()
    with pytest.raises(DomainError) as err:
        update_settings(admin, {"program_bank_iban": "BR1800360305000010009795493C1"})
    assert (err.value.code, err.value.field) == ("INVALID_IBAN", "program_bank_iban")
    update_settings(admin, {"program_bank_iban": "IBAN NL91 ABNA 0417 1643 00"})
    assert program_settings()["program_bank_iban"] == "NL91ABNA0417164300"


def _accepted(text: str) -> str | None:
    try:
        return validate_iban(text)
    except DomainError:
        return None


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        sepa_ibans().map(print_form),
        sepa_ibans().map(with_one_digit_changed),
        sepa_ibans().map(lambda iban: iban.lower().replace("i", "ı")),  # dotless i
        st.text(alphabet="DEGBFRdeıİ0123456789 -.:IBAN\u00a0", max_size=34),
    )
)
def test_iban_key_is_what_validate_returns_and_decides_it(text):
    """The shared-account check compares keys instead of validating every account: a key
    must be validate_iban's answer where it accepts, and two texts with one key must be
    accepted or refused alike (validate decides on the key alone)."""
    key, accepted = iban_key(text), _accepted(text)
    if accepted is not None:
        assert key == accepted
    if key is None:
        assert accepted is None
    else:
        assert _accepted(key) == accepted
