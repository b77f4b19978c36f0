"""Loan schedules per second (24 monthly installments, no database) and PAR30 over a book.

Measured: `generate_schedule(LoanTerms(...))` for N loans of varying principal and
disbursement date (what `loanSchedulePreview` computes), and `portfolio(FINANCE, as_of)`
(PAR30, arrears rate, buckets) over `--loans` disbursed loans. Baseline, same process:
the same loop computing a plain annuity with Decimal arithmetic, each row with its due
date (an amounts-only loop is reported too, for the strictest comparison), taking turns
with econ on slices of 250 loans so both see the same load. Target: >= 0.25 x the
baseline's schedules per second.

    python -m bench.schedule [--size N] [--loans L] [--db sqlite|postgres] [--runs R]
"""

from __future__ import annotations

import random
import statistics
from calendar import monthrange
from datetime import date
from decimal import Decimal

from bench import common

CENT = Decimal("0.01")
RATE = Decimal("18")
INSTALLMENTS = 24
AS_OF = date(2026, 7, 20)
SLICE = 250  # loans per turn in `interleaved`
PRINCIPALS = tuple(Decimal(p) for p in range(300, 3100, 200))


def loan_inputs(count: int) -> list[tuple[Decimal, date]]:
    rng = random.Random(7)
    return [
        (rng.choice(PRINCIPALS), date(2024 + rng.randrange(3), rng.randrange(1, 13), 1 + k % 28))
        for k in range(count)
    ]


def plain_annuity(principal: Decimal, annual_rate: Decimal, n: int, on: date) -> list[tuple]:
    """The baseline: equal installments on a declining balance, cents half-even, one row
    per installment with its due date (a month later each time), like econ's rows."""
    r = annual_rate / 1200
    emi = (principal * r / (1 - (1 + r) ** -n)).quantize(CENT)
    balance, rows = principal, []
    for k in range(1, n + 1):
        interest = (balance * r).quantize(CENT)
        part = balance if k == n else emi - interest
        balance -= part
        rows.append((k, add_months(on, k), part, interest, part + interest, balance))
    return rows


def plain_amounts(principal: Decimal, annual_rate: Decimal, n: int) -> list[tuple]:
    """The same annuity without due dates (amounts only): the strictest comparison."""
    r = annual_rate / 1200
    emi = (principal * r / (1 - (1 + r) ** -n)).quantize(CENT)
    balance, rows = principal, []
    for k in range(1, n + 1):
        interest = (balance * r).quantize(CENT)
        part = balance if k == n else emi - interest
        balance -= part
        rows.append((k, part, interest))
    return rows


def add_months(d: date, months: int) -> date:
    year, month = divmod(d.year * 12 + d.month - 1 + months, 12)
    return date(year, month + 1, min(d.day, monthrange(year, month + 1)[1]))


def interleaved(inputs: list, runs: int) -> tuple[float, float, float, list[float]]:
    """Median seconds of econ, the dated baseline and the amounts-only loop over all of
    `inputs`, and each run's baseline / econ ratio. Within a run the three take turns on
    slices of SLICE loans, so that a change of the machine's load falls on all of them."""
    sides = (econ_schedules, baseline_schedules, amounts_only)
    totals: list[list[float]] = [[], [], []]
    for _ in range(runs):
        spent = [0.0, 0.0, 0.0]
        for lo in range(0, len(inputs), SLICE):
            chunk = inputs[lo : lo + SLICE]
            for k, side in enumerate(sides):
                spent[k] += common.timed(lambda side=side, chunk=chunk: side(chunk))[0]
        for k in range(3):
            totals[k].append(spent[k])
    ratios = [base / econ for econ, base in zip(totals[0], totals[1], strict=True)]
    econ_s, base_s, amounts_s = (statistics.median(t) for t in totals)
    return econ_s, base_s, amounts_s, ratios


def econ_schedules(inputs: list[tuple[Decimal, date]]) -> int:
    from econ.microcredit.schedule import LoanTerms, generate_schedule

    rows = 0
    for principal, on in inputs:
        terms = LoanTerms(
            principal=principal,
            annual_interest_rate=RATE,
            number_of_installments=INSTALLMENTS,
            frequency="MONTHS",
            disbursement_date=on,
        )
        rows += len(generate_schedule(terms).installments)
    return rows


def baseline_schedules(inputs: list[tuple[Decimal, date]]) -> int:
    return sum(len(plain_annuity(principal, RATE, INSTALLMENTS, on)) for principal, on in inputs)


def amounts_only(inputs: list[tuple[Decimal, date]]) -> int:
    return sum(len(plain_amounts(principal, RATE, INSTALLMENTS)) for principal, _ in inputs)


# --- the loan book for PAR30 ----------------------------------------------------------


def generate_book(loans: int):
    """`loans` disbursed loans (five borrowers a group) with their stored schedules and
    repayments: 80 % on time, 20 % missing their last one to four installments."""
    from econ.microcredit.models import Installment, Loan, LoanGroup, Repayment
    from econ.microcredit.schedule import LoanTerms, generate_schedule
    from econ.participants.models import Participant

    rng = random.Random(3)
    counselor = common.staff("COUNSELOR", "loans@bench.econ")[0]
    finance = common.staff("FINANCE", "book@bench.econ")
    cache: dict = {}
    start = (Participant.select(Participant.id).order_by(Participant.id.desc()).scalar() or 0) + 1
    for lo in range(0, loans, common.INSERT_BATCH):
        ids = range(start + lo, start + min(loans, lo + common.INSERT_BATCH))
        people, groups, book, installments, repayments = [], [], [], [], []
        for pid in ids:
            people.append(
                {
                    "id": pid,
                    "code": f"L{pid:08d}",
                    "preferred_name": "Rosa",
                    "counselor": counselor.id,
                }
            )
            if (pid - start) % 5 == 0:
                groups.append(
                    {
                        "id": pid,
                        "name": f"Group {pid}",
                        "counselor_id": counselor.id,
                        "status": "ACTIVE",
                        "meeting_frequency": "MONTHLY",
                        "meeting_weekday": "MONDAY",
                    }
                )
            principal = rng.choice(PRINCIPALS)
            on = date(2024 + rng.randrange(2), rng.randrange(1, 13), 1 + rng.randrange(28))
            key = (principal, on)
            if key not in cache:
                cache[key] = generate_schedule(
                    LoanTerms(
                        principal=principal,
                        annual_interest_rate=RATE,
                        number_of_installments=INSTALLMENTS,
                        frequency="MONTHS",
                        disbursement_date=on,
                    )
                ).installments
            schedule = cache[key]
            book.append(
                {
                    "id": pid,
                    "borrower": pid,
                    "group": start + (pid - start) // 5 * 5,
                    "state": "DISBURSED",
                    "purpose": "BUSINESS",
                    "principal": principal,
                    "currency": "EUR",
                    "terms": {"annualInterestRate": str(RATE)},
                    "applied_by": counselor.id,
                    "disbursement_date": on,
                    "first_due_date": schedule[0].due_date,
                    "open_borrower": pid,
                }
            )
            due = [i for i in schedule if i.due_date <= AS_OF]
            missed = rng.randrange(1, 5) if rng.random() < 0.2 else 0
            paid = due[: max(0, len(due) - missed)]
            for i in schedule:
                installments.append(
                    {
                        "loan": pid,
                        "number": i.number,
                        "due_date": i.due_date,
                        "original_due_date": i.due_date,
                        "principal": i.principal,
                        "interest": i.interest,
                    }
                )
            if paid:
                repayments.append(
                    {
                        "loan": pid,
                        "paid_on": paid[-1].due_date,
                        "channel": "CASH",
                        "amount": sum(i.principal + i.interest for i in paid),
                        "recorded_by": counselor.id,
                    }
                )
        for model, rows in ((Participant, people), (LoanGroup, groups), (Loan, book)):
            common.insert_batches(model, rows)
        common.insert_batches(Installment, installments)
        common.insert_batches(Repayment, repayments)
    common.fix_sequences("participant", "loan_group", "loan")
    return finance[1]


def bare_read(loans: int) -> int:
    """The rows PAR30 needs, read with bare tuples queries (the PAR30 baseline)."""
    from econ.microcredit.models import Installment, Loan, Repayment

    count = len(list(Loan.select(Loan.id, Loan.principal).tuples()))
    count += len(list(Installment.select(Installment.loan, Installment.principal).tuples()))
    count += len(list(Repayment.select(Repayment.loan, Repayment.amount).tuples()))
    return count


def main() -> None:
    args = common.parse_args(__doc__.splitlines()[0], 5_000, loans=20_000)
    print(
        f"schedule: N={args.size:,} schedules, {args.loans:,} loans, db={args.db}, runs={args.runs}"
    )
    inputs = loan_inputs(args.size)
    econ_s, base_s, amounts_s, ratios = interleaved(inputs, args.runs)
    common.figure("econ schedules/s (24 installments)", args.size / econ_s, "/s")
    common.figure("baseline plain Decimal annuity with dates/s", args.size / base_s, "/s")
    common.figure("plain annuity, amounts only, no dates/s", args.size / amounts_s, "/s")
    common.figure("econ / amounts-only annuity", amounts_s / econ_s)
    common.figure("econ installments/s", args.size * INSTALLMENTS / econ_s, "/s")
    if args.loans:
        common.setup_database(args.db)
        gen_s, finance = common.timed(lambda: generate_book(args.loans))
        common.note(f"{args.loans:,} loans generated in {gen_s:.1f} s (not timed)")
        from econ.microcredit.arrears import portfolio

        par_s = common.median_seconds(lambda: portfolio(finance, AS_OF), args.runs)
        read_s = common.median_seconds(lambda: bare_read(args.loans), args.runs)
        result = portfolio(finance, AS_OF)
        common.figure(f"PAR30 over {result.loans:,} loans", par_s, "s")
        common.figure("PAR30 loans/s", result.loans / par_s, "/s")
        common.figure("PAR30 (share of outstanding)", float(result.par30))
        common.figure("bare tuples read of the same rows", read_s, "s")
        common.figure("PAR30 / bare read (x slower)", par_s / read_s)
    common.note(f"ratio per run: {', '.join(f'{r:.3f}' for r in ratios)}")
    common.note("ratio = econ schedules/s / plain annuity schedules/s (target >= 0.25),")
    common.note(f"median of the runs; each run alternates the three in slices of {SLICE} loans")
    common.print_ratio(statistics.median(ratios))


if __name__ == "__main__":
    main()
