"""Golden schedules: each expected figure is either published by Apache Fineract or derived by
hand from the formulas of its cumulative generator (docs/microcredit-schedule.md).

"Published" = apache/fineract `fineract-e2e-tests-runner/src/test/resources/features/
LoanRepayment.feature`, scenarios RS01-RS07 (TestRail C2490-C2497): 5000 EUR, 12 % a year,
18 monthly installments from 1 Nov 2022 on the LP1_* products, which round installments to
multiples of 1 (installmentAmountInMultiplesOf = 1) and use DaysInMonth ACTUAL,
DaysInYear ACTUAL. Rows: number, due date, principal, interest, balance after.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from econ.errors import DomainError
from econ.microcredit.schedule import (
    LoanTerms,
    add_periods,
    due_dates,
    generate_schedule,
    periods_per_year,
)

D = Decimal


def rows(text: str) -> list[tuple[int, date, Decimal, Decimal, Decimal]]:
    parsed = []
    for line in text.strip().splitlines():
        number, due, principal, interest, balance = line.split()
        parsed.append(
            (
                int(number),
                date.fromisoformat(due),
                D(principal),
                D(interest),
                D(balance),
            )
        )
    return parsed


def actual(terms: LoanTerms) -> list[tuple[int, date, Decimal, Decimal, Decimal]]:
    return [
        (i.number, i.due_date, i.principal, i.interest, i.balance_after)
        for i in generate_schedule(terms).installments
    ]


def lp1(**overrides: object) -> LoanTerms:
    """The RS0x loans: 5000 at 12 %, 18 months from 1 Nov 2022, multiples of 1."""
    fields: dict = {
        "principal": D("5000"),
        "annual_interest_rate": D("12"),
        "number_of_installments": 18,
        "frequency": "MONTHS",
        "disbursement_date": date(2022, 11, 1),
        "installment_amount_in_multiples_of": D("1"),
    }
    fields.update(overrides)
    return LoanTerms(**fields)


# --- published by Fineract ----------------------------------------------------------------

RS01_FLAT_EQUAL_INSTALLMENTS = rows("""
1 2022-12-01 278 50 4722
2 2023-01-01 278 50 4444
3 2023-02-01 278 50 4166
4 2023-03-01 278 50 3888
5 2023-04-01 278 50 3610
6 2023-05-01 278 50 3332
7 2023-06-01 278 50 3054
8 2023-07-01 278 50 2776
9 2023-08-01 278 50 2498
10 2023-09-01 278 50 2220
11 2023-10-01 278 50 1942
12 2023-11-01 278 50 1664
13 2023-12-01 278 50 1386
14 2024-01-01 278 50 1108
15 2024-02-01 278 50 830
16 2024-03-01 278 50 552
17 2024-04-01 278 50 274
18 2024-05-01 274 50 0
""")


def test_rs01_flat_equal_installments_multiple_of_one() -> None:
    # Published RS01. By hand: flat interest 5000 x 12/12/100 x 18 = 900, 50 a month;
    # principal 5000/18 = 277.78 rounds to the multiple 278 (interest 50 is already whole);
    # the last installment takes the residue 5000 - 17 x 278 = 274.
    schedule = generate_schedule(lp1(interest_method="FLAT"))
    assert actual(lp1(interest_method="FLAT")) == RS01_FLAT_EQUAL_INSTALLMENTS
    assert (schedule.total_interest, schedule.total_repayment) == (D("900"), D("5900"))


RS02_DECLINING_EQUAL_INSTALLMENTS = rows("""
1 2022-12-01 255.00 50.00 4745.00
2 2023-01-01 257.55 47.45 4487.45
3 2023-02-01 260.13 44.87 4227.32
4 2023-03-01 262.73 42.27 3964.59
5 2023-04-01 265.35 39.65 3699.24
6 2023-05-01 268.01 36.99 3431.23
7 2023-06-01 270.69 34.31 3160.54
8 2023-07-01 273.39 31.61 2887.15
9 2023-08-01 276.13 28.87 2611.02
10 2023-09-01 278.89 26.11 2332.13
11 2023-10-01 281.68 23.32 2050.45
12 2023-11-01 284.50 20.50 1765.95
13 2023-12-01 287.34 17.66 1478.61
14 2024-01-01 290.21 14.79 1188.40
15 2024-02-01 293.12 11.88 895.28
16 2024-03-01 296.05 8.95 599.23
17 2024-04-01 299.01 5.99 300.22
18 2024-05-01 300.22 3.00 0.00
""")


def test_rs02_declining_equal_installments_emi_rounded_to_multiple() -> None:
    # Published RS02. By hand: pmt(1 %, 18, 5000) = 304.91, rounded to the multiple 1 -> 305;
    # interest 1 % of the balance, e.g. 4745 x 0.01 = 47.45; the last pays 300.22 + 3.00.
    schedule = generate_schedule(lp1())
    assert actual(lp1()) == RS02_DECLINING_EQUAL_INSTALLMENTS
    assert (schedule.total_interest, schedule.total_repayment) == (
        D("488.22"),
        D("5488.22"),
    )


RS03_DECLINING_DAILY = rows("""
1 2022-12-01 255.68 49.32 4744.32
2 2023-01-01 256.65 48.35 4487.67
3 2023-02-01 259.26 45.74 4228.41
4 2023-03-01 266.08 38.92 3962.33
5 2023-04-01 264.62 40.38 3697.71
6 2023-05-01 268.53 36.47 3429.18
7 2023-06-01 270.05 34.95 3159.13
8 2023-07-01 273.84 31.16 2885.29
9 2023-08-01 275.59 29.41 2609.70
10 2023-09-01 278.40 26.60 2331.30
11 2023-10-01 282.01 22.99 2049.29
12 2023-11-01 284.11 20.89 1765.18
13 2023-12-01 287.59 17.41 1477.59
14 2024-01-01 289.94 15.06 1187.65
15 2024-02-01 292.90 12.10 894.75
16 2024-03-01 296.47 8.53 598.28
17 2024-04-01 298.90 6.10 299.38
18 2024-05-01 299.38 2.95 0.00
""")


def test_rs03_daily_interest_counts_actual_days_over_365_in_a_leap_year() -> None:
    # Published RS03 (DAILY, days in year ACTUAL). Period 16 runs over February 2024 (29 days):
    # 894.75 x 12/365/100 x 29 = 8.5306 -> 8.53; with 366 days it would be 8.51, so the
    # cumulative engine divides by 365 even in a leap year. EMI: rate 12/365/100 x 30 days
    # (pmtForInstallment uses 30-day months) = 0.98630 %, pmt(.., 18, 5000) = 304.53 -> 305.
    terms = lp1(interest_calculation_period="DAILY")
    assert actual(terms) == RS03_DECLINING_DAILY
    assert generate_schedule(terms).total_interest == D("487.33")


def test_rs04_declining_equal_principal() -> None:
    # Published RS04: principal 5000/18 = 277.78 each (no installment multiple for equal
    # principal); interest 1 % of the balance; the last principal is 5000 - 17 x 277.78.
    schedule = generate_schedule(lp1(amortization="EQUAL_PRINCIPAL"))
    first, fourth, last = (schedule.installments[i] for i in (0, 3, 17))
    assert (first.principal, first.interest, first.balance_after) == (
        D("277.78"),
        D("50.00"),
        D("4722.22"),
    )
    assert (fourth.interest, fourth.total) == (D("41.67"), D("319.45"))
    assert (last.principal, last.interest, last.total) == (
        D("277.74"),
        D("2.78"),
        D("280.52"),
    )
    assert all(i.principal == D("277.78") for i in schedule.installments[:17])
    assert (schedule.total_interest, schedule.total_repayment) == (
        D("475.00"),
        D("5475.00"),
    )


def test_rs05_principal_grace_recomputes_emi_over_remaining_periods() -> None:
    # Published RS05 (grace on principal 3): interest only (50) for 3 months, then
    # pmt(1 %, 15, 5000) = 360.62 -> 361 over the 15 remaining periods.
    schedule = generate_schedule(lp1(grace_on_principal=3))
    got = actual(lp1(grace_on_principal=3))
    assert got[:5] == rows("""
1 2022-12-01 0 50 5000
2 2023-01-01 0 50 5000
3 2023-02-01 0 50 5000
4 2023-03-01 311 50 4689
5 2023-04-01 314.11 46.89 4374.89
""")
    assert got[-2:] == rows("""
17 2024-04-01 353.95 7.05 351.36
18 2024-05-01 351.36 3.51 0
""")
    assert schedule.total_interest == D("558.87")


def test_rs07_interest_payment_grace_defers_interest_to_first_period_after() -> None:
    # Published RS07 (principal grace 6, interest grace 3 - the e2e column is labelled
    # "interest free period" but the schedule shows Fineract's graceOnInterestPayment:
    # interest is deferred, not waived). Periods 1-3 pay nothing, period 4 pays the deferred
    # 3 x 50 plus its own 50 = 200; from period 7 the EMI is pmt(1 %, 12, 5000) = 444.24 -> 444.
    terms = lp1(grace_on_principal=6, grace_on_interest_payment=3)
    got = actual(terms)
    assert got[:7] == rows("""
1 2022-12-01 0 0 5000
2 2023-01-01 0 0 5000
3 2023-02-01 0 0 5000
4 2023-03-01 0 200 5000
5 2023-04-01 0 50 5000
6 2023-05-01 0 50 5000
7 2023-06-01 394 50 4606
""")
    assert got[-1] == rows("18 2024-05-01 442.66 4.43 0")[0]
    assert generate_schedule(terms).total_repayment == D("5631.09")


# --- derived by hand from Fineract's formulas ---------------------------------------------


def monthly(**overrides: object) -> LoanTerms:
    fields: dict = {"frequency": "MONTHS", "disbursement_date": date(2026, 1, 1)}
    fields.update(overrides)
    return LoanTerms(**fields)


def test_interest_charged_grace_waives_interest_declining() -> None:
    # 1000 at 12 %, 4 months, 1 interest-free period. EMI pmt(1 %, 4, 1000) = 256.28.
    # Period 1: interest 10.00 waived; principal = EMI - 0 = 256.28 (calculatePrincipalDue-
    # ForInstallment subtracts only the period's charged interest) -> balance 743.72.
    # Period 2: 743.72 x 1 % = 7.4372 -> 7.44, principal 248.84 -> 494.88.
    # Period 3: 4.9488 -> 4.95, principal 251.33 -> 243.55. Period 4: 2.4355 -> 2.44 + 243.55.
    terms = monthly(
        principal=D("1000"),
        annual_interest_rate=D("12"),
        number_of_installments=4,
        grace_on_interest_charged=1,
    )
    assert actual(terms) == rows("""
1 2026-02-01 256.28 0.00 743.72
2 2026-03-01 248.84 7.44 494.88
3 2026-04-01 251.33 4.95 243.55
4 2026-05-01 243.55 2.44 0.00
""")


def test_interest_charged_grace_waives_interest_flat() -> None:
    # Flat: 1200 x 1 % x 4 = 48.00, 12.00 per installment; one interest-free period takes
    # 12.00 off (calculateTotalInterestCharged) and 36.00 is spread over 3 periods.
    terms = monthly(
        principal=D("1200"),
        annual_interest_rate=D("12"),
        number_of_installments=4,
        grace_on_interest_charged=1,
        interest_method="FLAT",
    )
    assert actual(terms) == rows("""
1 2026-02-01 300 0 900
2 2026-03-01 300 12 600
3 2026-04-01 300 12 300
4 2026-05-01 300 12 0
""")
    assert generate_schedule(terms).total_interest == D("36.00")


def test_interest_payment_grace_flat_equal_principal_defers_and_last_absorbs() -> None:
    # Flat 1000 at 10 %, 5 months: rate 10/12 = 0.833333333333 (12 digits) /100 x 5
    # = 0.04166666666665 -> 41.67 total, 41.67/5 = 8.334 -> 8.33 per installment.
    # Grace on interest payment 2: periods 1-2 defer 8.33 each, period 3 pays 16.66 + 8.33
    # = 24.99, period 4 pays 8.33, the last pays the residue 41.67 - 41.65 + 8.33 = 8.35.
    terms = monthly(
        principal=D("1000"),
        annual_interest_rate=D("10"),
        number_of_installments=5,
        grace_on_interest_payment=2,
        interest_method="FLAT",
        amortization="EQUAL_PRINCIPAL",
    )
    assert actual(terms) == rows("""
1 2026-02-01 200 0 800
2 2026-03-01 200 0 600
3 2026-04-01 200 24.99 400
4 2026-05-01 200 8.33 200
5 2026-06-01 200 8.35 0
""")


def test_flat_principal_grace_with_multiple_of_one() -> None:
    # Flat 1000 at 12 %, 3 months, principal grace 1: 30.00 interest, 10.00 a month;
    # principal 1000 / (3 - 1) = 500 from period 2.
    terms = monthly(
        principal=D("1000"),
        annual_interest_rate=D("12"),
        number_of_installments=3,
        interest_method="FLAT",
        grace_on_principal=1,
        installment_amount_in_multiples_of=D("1"),
    )
    assert actual(terms) == rows("""
1 2026-02-01 0 10 1000
2 2026-03-01 500 10 500
3 2026-04-01 500 10 0
""")


def test_zero_decimal_currency_rounds_every_amount_to_multiples_of_100() -> None:
    # XOF, 0 digits, currencyInMultiplesOf 100: Money rounds every amount to the nearest 100
    # (a tie goes up). 500000 at 24 %, 6 months: pmt(2 %, 6, 500000) = 89262.91 -> 89300.
    # Interest: 10000; 420700 x 2 % = 8414 -> 8400; 6796 -> 6800; 5146 -> 5100;
    # 3462 -> 3500; 1746 -> 1700. The last installment pays the remaining 87300.
    terms = monthly(
        principal=D("500000"),
        annual_interest_rate=D("24"),
        number_of_installments=6,
        currency="XOF",
        currency_digits=0,
        currency_in_multiples_of=100,
    )
    assert actual(terms) == rows("""
1 2026-02-01 79300 10000 420700
2 2026-03-01 80900 8400 339800
3 2026-04-01 82500 6800 257300
4 2026-05-01 84200 5100 173100
5 2026-06-01 85800 3500 87300
6 2026-07-01 87300 1700 0
""")
    assert generate_schedule(terms).total_repayment == D("535500")


def test_weekly_declining_uses_52_periods_a_year() -> None:
    # 1000 at 52 % a year, weekly: 52/52/100 = 1 % a week, EMI pmt(1 %, 4, 1000) = 256.28.
    # Interest 10.00; 753.72 -> 7.5372 -> 7.54; 504.98 -> 5.05; 253.75 -> 2.5375 -> 2.54.
    terms = LoanTerms(
        principal=D("1000"),
        annual_interest_rate=D("52"),
        number_of_installments=4,
        frequency="WEEKS",
        disbursement_date=date(2026, 3, 2),
    )
    assert actual(terms) == rows("""
1 2026-03-09 246.28 10.00 753.72
2 2026-03-16 248.74 7.54 504.98
3 2026-03-23 251.23 5.05 253.75
4 2026-03-30 253.75 2.54 0.00
""")


def test_biweekly_flat_charges_two_52nds_per_period() -> None:
    # Every 2 weeks, 4 installments = an 8-week term: 1300 x 26/52/100 x 8 = 52.00 interest,
    # 13.00 per installment (26 periods a year); principal 1300/4 = 325.
    terms = LoanTerms(
        principal=D("1300"),
        annual_interest_rate=D("26"),
        number_of_installments=4,
        repayment_every=2,
        frequency="WEEKS",
        interest_method="FLAT",
        disbursement_date=date(2026, 3, 2),
    )
    assert actual(terms) == rows("""
1 2026-03-16 325 13 975
2 2026-03-30 325 13 650
3 2026-04-13 325 13 325
4 2026-04-27 325 13 0
""")


def test_daily_interest_across_february_2028() -> None:
    # DAILY, ACTUAL -> 365: a day is 12/365 = 0.0328767123288 % (12 digits).
    # EMI: rate x 30 = 0.00986301369864, pmt(.., 3, 3000) = 1019.7906 -> 1019.79.
    # 15 Jan-15 Feb 2028 (31 days): 3000 x 0.0101917808219 = 30.5753 -> 30.58.
    # 15 Feb-15 Mar 2028 (29 days, leap February): 2010.79 x 0.00953424657535 = 19.1714 -> 19.17.
    # 15 Mar-15 Apr (31 days): 1010.17 x 0.0101917808219 = 10.2954 -> 10.30.
    terms = LoanTerms(
        principal=D("3000"),
        annual_interest_rate=D("12"),
        number_of_installments=3,
        frequency="MONTHS",
        interest_calculation_period="DAILY",
        disbursement_date=date(2028, 1, 15),
    )
    assert actual(terms) == rows("""
1 2028-02-15 989.21 30.58 2010.79
2 2028-03-15 1000.62 19.17 1010.17
3 2028-04-15 1010.17 10.30 0.00
""")


def test_daily_interest_with_a_360_day_year() -> None:
    # Same loan on a 360-day year: a day is 0.000333333333333; 31 days -> 0.0103333333333,
    # 3000 x that = 30.9999999999 -> 31.00; EMI rate x 30 = 0.00999999999999 -> 1020.07;
    # 29 days: 2010.93 x 0.00966666666666 = 19.4390 -> 19.44.
    terms = LoanTerms(
        principal=D("3000"),
        annual_interest_rate=D("12"),
        number_of_installments=3,
        frequency="MONTHS",
        interest_calculation_period="DAILY",
        days_in_year="360",
        disbursement_date=date(2028, 1, 15),
    )
    assert actual(terms)[:2] == rows("""
1 2028-02-15 989.07 31.00 2010.93
2 2028-03-15 1000.63 19.44 1010.30
""")


@pytest.mark.parametrize("method", ["FLAT", "DECLINING_BALANCE"])
def test_zero_interest_splits_principal_and_last_absorbs_the_cent(method: str) -> None:
    # 0 %: pmt = 1000/3 = 333.33 (declining) and 1000/3 = 333.33 principal (flat);
    # the last installment takes 1000 - 666.66 = 333.34.
    terms = monthly(
        principal=D("1000"),
        annual_interest_rate=D("0"),
        number_of_installments=3,
        interest_method=method,
    )
    assert actual(terms) == rows("""
1 2026-02-01 333.33 0 666.67
2 2026-03-01 333.33 0 333.34
3 2026-04-01 333.34 0 0
""")


def test_first_due_date_sets_the_rhythm_and_month_ends_come_back() -> None:
    # Seed day 31: 31 Jan -> 29 Feb 2028 (clamped) -> 31 Mar (adjustDate restores the seed day).
    terms = LoanTerms(
        principal=D("900"),
        annual_interest_rate=D("0"),
        number_of_installments=3,
        frequency="MONTHS",
        disbursement_date=date(2028, 1, 10),
        first_due_date=date(2028, 1, 31),
    )
    assert [i.due_date for i in generate_schedule(terms).installments] == [
        date(2028, 1, 31),
        date(2028, 2, 29),
        date(2028, 3, 31),
    ]
    assert due_dates(terms, 3, 2) == [date(2028, 3, 31), date(2028, 4, 30)]


def test_add_periods_moves_by_whole_periods() -> None:
    assert add_periods(date(2026, 1, 5), "WEEKS", 2, 3) == date(2026, 2, 16)
    assert add_periods(date(2026, 1, 5), "DAYS", 7, 2) == date(2026, 1, 19)
    assert add_periods(date(2028, 2, 29), "MONTHS", 1, 1, seed_day=31) == date(2028, 3, 31)
    assert add_periods(date(2026, 1, 31), "MONTHS", 1, 1) == date(2026, 2, 28)
    assert add_periods(date(2026, 3, 31), "MONTHS", 1, -1) == date(2026, 2, 28)


def test_periods_per_year_domain_rule() -> None:
    assert periods_per_year("WEEKS") == 52
    assert periods_per_year("WEEKS", 2) == 26
    assert periods_per_year("MONTHS") == 12


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"principal": D("-1")}, "principal"),
        ({"principal": D("10.005")}, "principal"),
        ({"number_of_installments": 0}, "number_of_installments"),
        ({"annual_interest_rate": D("-0.5")}, "annual_interest_rate"),
        ({"grace_on_principal": 4}, "grace_on_principal"),
        ({"grace_on_interest_payment": 5}, "grace_on_interest_payment"),
        ({"grace_on_interest_charged": -1}, "grace_on_interest_charged"),
        ({"frequency": "YEARS"}, "frequency"),
        (
            {"installment_amount_in_multiples_of": D("0.5")},
            "installment_amount_in_multiples_of",
        ),
        ({"rounding_mode": "UNNECESSARY"}, "rounding_mode"),
        ({"first_due_date": date(2025, 12, 31)}, "first_due_date"),
        ({"currency_digits": 7}, "currency_digits"),
    ],
)
def test_bad_terms_are_refused_with_the_field(overrides: dict, field: str) -> None:
    fields: dict = {
        "principal": D("1000"),
        "annual_interest_rate": D("12"),
        "number_of_installments": 4,
    }
    fields.update(overrides)
    with pytest.raises(DomainError) as error:
        monthly(**fields)
    assert error.value.field == field
