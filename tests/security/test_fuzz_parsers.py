"""Hypothesis fuzz of every input parser: a value that obeys the rule, or a clear error.

"Clear error" = a DomainError with the expected code, a message, and the input field's
name; never another exception. Accepted values are checked against the rule itself (an
ASCII month 01-12, a cent-exact Decimal, an IBAN whose mod-97 check holds).
Budget: 150 examples per property, times ECON_FUZZ_SCALE (tests/security/fuzz_budget.py).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from econ.emails import normalize_email
from econ.errors import DomainError
from econ.iban import SEPA_COUNTRIES, iban_length, normalize_iban, validate_iban
from econ.money import parse_amount
from econ.months import check_month
from econ.participants import validation as v
from econ.schema.inputs import parse_id
from econ.statements.services import check_period
from econ.stipends.files.results import ResultStatus, parse_result_file
from tests.security.fuzz_budget import fuzz_settings
from tests.support.ibans import (
    print_form,
    reference_mod97,
    sepa_ibans,
    shortened_with_fixed_check,
    with_check_digits,
    with_one_digit_changed,
)

FUZZ = fuzz_settings(150)
ASCII_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])", re.ASCII)
# Text that looks almost right: digits of every script, signs, separators, whitespace.
NEAR = st.text(
    alphabet=st.sampled_from([*"0123456789-.,+eE :/\n\t", "١", "２", "\u00a0", "߀"]),
    max_size=16,
)
ANY_TEXT = st.one_of(st.text(max_size=40), NEAR)


def clear(exc: DomainError, codes: set[str], field: str | None) -> None:
    assert exc.code in codes, exc.code
    assert isinstance(exc.message, str) and exc.message.strip()
    assert exc.field == field


@FUZZ
@given(ANY_TEXT)
@example("１２.５０")
@example("1e3")
@example("NaN")
@example("-0.00")
@example("999999999999.99")
def test_parse_amount(text):
    try:
        amount = parse_amount(text, "amount")
    except DomainError as exc:
        clear(exc, {"INVALID_AMOUNT"}, "amount")
        return
    assert isinstance(amount, Decimal) and amount.as_tuple().exponent == -2
    assert 0 <= amount < Decimal("1000000000")
    assert text.strip().isascii()  # only ASCII digits are money


@FUZZ
@given(st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2))
def test_every_cent_amount_round_trips(amount):
    assert parse_amount(str(amount)) == amount


MONTH_PARSERS = [
    pytest.param(lambda t: v.month(t, "month"), "month", id="participants.month"),
    pytest.param(lambda t: check_month(t, "month"), "month", id="stipends.check_month"),
    pytest.param(lambda t: check_period(t, "month"), "month", id="statements.check_period"),
]


@pytest.mark.parametrize(("parse", "field"), MONTH_PARSERS)
def test_months(parse, field):
    @FUZZ
    @given(st.one_of(ANY_TEXT, st.dates().map(lambda d: d.isoformat()[:7])))
    @example("２０２６-01")
    @example("2026-13")
    @example("2026-01\n")
    @example("0000-00")
    def check(text):
        try:
            value = parse(text)
        except DomainError as exc:
            clear(exc, {"INVALID_MONTH"}, field)
            return
        assert ASCII_MONTH.fullmatch(value), value

    check()


@FUZZ
@given(st.one_of(ANY_TEXT, st.dates().map(dt.date.isoformat)))
@example("２０２６-01-01")
@example("2026-02-30")
@example("+2026-01-01")
def test_iso_dates(text):
    try:
        value = v.iso_date(text, "startDate")
    except DomainError as exc:
        clear(exc, {"INVALID_DATE"}, "startDate")
        return
    assert value is None or isinstance(value, dt.date)


@FUZZ
@given(st.one_of(ANY_TEXT, st.dates().map(dt.date.isoformat)))
def test_date_of_birth(text):
    try:
        value = v.date_of_birth(text)
    except DomainError as exc:
        clear(exc, {"INVALID_DATE"}, "dateOfBirth")
        return
    if value is not None:
        born = dt.date.fromisoformat(value)
        assert born <= dt.date.today() and born.year >= dt.date.today().year - 120


IBAN_TEXT = st.one_of(
    ANY_TEXT,
    sepa_ibans(),
    sepa_ibans().map(with_one_digit_changed),
    sepa_ibans().map(print_form),
    sepa_ibans().map(shortened_with_fixed_check),
    sepa_ibans().map(lambda s: with_check_digits(s[:2], s[4:-1] + "X")),  # letter in the BBAN
)


@FUZZ
@given(IBAN_TEXT)
@example("DE89 3704 0044 0532 0130 00")
@example("IBAN DE89-3704-0044-0532-0130-00")
@example("ＤＥ89370400440532013000")
@example("ıT00")
@example("BR1800360305000010009795493C1")
def test_participant_bank_account(text):
    try:
        value = v.bank_account(text)
    except DomainError as exc:
        clear(exc, {"INVALID_IBAN", "TOO_LONG"}, "bankAccount")
        return
    if value is None:
        assert not text.strip()
        return
    assert value == validate_iban(text), "entry and payment accept the same accounts"
    assert value.isascii() and value.isalnum() and value == value.upper()
    assert len(value) == iban_length(value[:2]) and reference_mod97(value) == 1
    assert value[:2] in SEPA_COUNTRIES


@FUZZ
@given(IBAN_TEXT)
def test_payment_file_iban(text):
    try:
        value = validate_iban(text)
    except DomainError as exc:
        clear(exc, {"INVALID_IBAN"}, "bankAccount")
        return
    assert len(value) == iban_length(value[:2]) and reference_mod97(value) == 1
    assert value == normalize_iban(text)


@FUZZ
@given(sepa_ibans())
def test_both_iban_checks_accept_every_valid_sepa_iban(iban):
    assert validate_iban(iban) == iban
    assert v.bank_account(iban) == iban
    assert v.bank_account(print_form(iban)) == iban


@FUZZ
@given(ANY_TEXT)
def test_phone_email_language(text):
    for parse, field, codes in (
        (v.phone, "phone", {"INVALID_PHONE", "TOO_LONG"}),
        (normalize_email, "email", {"INVALID_EMAIL"}),
        (lambda t: v.language(t, "language"), "language", {"INVALID_LANGUAGE"}),
    ):
        try:
            parse(text)
        except DomainError as exc:
            clear(exc, codes, field)


@FUZZ
@given(st.one_of(ANY_TEXT, st.integers(), st.none()))
def test_ids(value):
    try:
        number = parse_id(value, "id")
    except DomainError as exc:
        clear(exc, {"NOT_FOUND", "REQUIRED"}, "id")
        return
    assert isinstance(number, int) and 0 < number <= 2**62


# --- the bank's result file (uploaded CSV) ----------------------------------------------

CELL = st.one_of(
    st.sampled_from(["PAID", "FAILED", "ACSC", "RJCT", "paid", "??", "", "12.50", "-1", "R-1"]),
    st.text(max_size=12),
)


@st.composite
def result_files(draw):
    header = draw(
        st.sampled_from(
            ["reference,status,amount,reason", "reference;status;amount", "status,amount", ""]
        )
    )
    separator = ";" if ";" in header else ","
    rows = draw(st.lists(st.lists(CELL, min_size=0, max_size=5), max_size=6))
    quote = draw(st.sampled_from(["", '"', "\ufeff"]))
    lines = [header] + [separator.join(row) for row in rows]
    return quote + draw(st.sampled_from(["\n", "\r\n"])).join(lines)


@FUZZ
@given(st.one_of(result_files(), st.text(max_size=200), st.binary(max_size=200)))
@example(b"\xff\xfe")
@example('reference,status,amount\n"R-1,PAID,1.00')
@example("\x00")
def test_result_file(data):
    try:
        rows = parse_result_file(data, max_rows=50, max_bytes=10_000)
    except DomainError as exc:
        clear(exc, {"INVALID_RESULT_FILE"}, "file")
        return
    for row in rows:
        assert row.status in tuple(ResultStatus)
        assert row.amount >= 0 and row.amount.as_tuple().exponent == -2
        assert 1 <= len(row.reference) <= 35
