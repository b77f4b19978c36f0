"""Rich sample data for every document, shared by the tests and the docs images.

The participant record holds a postal address and a legal name on purpose: a statement
built from it must print neither (she has not chosen her legal name for statements).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal as D

from econ.statements import (
    Adjustment,
    CollectionRow,
    CollectionSheetData,
    ControlTotals,
    CounselorContact,
    FrozenTotals,
    Installment,
    LoanBlock,
    LoanScheduleData,
    MethodTotal,
    NamedAmount,
    PaymentRunReportData,
    PlacementBlock,
    PlanMilestone,
    RetentionMilestone,
    RunException,
    RunLine,
    ScheduleRow,
    StatementData,
    StipendBlock,
    TrainingProgress,
)

PROGRAM = "Horizons Skills Programme"
POSTAL_ADDRESS = "27 Rue des Acacias, 69003 Lyon"
RECORD = {
    "code": "P-0042",
    "preferred_name": "Nadia",
    "legal_name": "Nadiya Kowalczyk-Ortega",
    "postal_address": POSTAL_ADDRESS,
    "show_legal_name": False,
}

# base 1234.56 - taper 120.00 + incentives 50.00 + 25.00 + adjustment -10.00 = 1179.56
STIPEND = StipendBlock(
    base=D("1234.56"),
    taper=D("120.00"),
    taper_income=D("240.00"),
    net=D("1179.56"),
    payment_status="PAID",
    payment_method="BANK_TRANSFER",
    payment_date=date(2026, 12, 5),
    incentives=(
        NamedAmount("Full attendance bonus", D("50.00")),
        NamedAmount("Credential earned", D("25.00")),
    ),
    adjustments=(Adjustment("Correction of November transport card", D("-10.00")),),
)

LOAN = LoanBlock(
    outstanding_principal=D("800.00"),
    next_installments=(
        Installment(date(2027, 1, 10), D("104.17")),
        Installment(date(2027, 2, 10), D("104.17")),
        Installment(date(2027, 3, 10), D("104.17")),
        Installment(date(2027, 4, 10), D("104.17")),
    ),
    days_past_due=12,
    overdue_installments=1,
)

TRAINING = (
    TrainingProgress("Professional cooking, level 1", D("0.875"), ("Food hygiene certificate",)),
    TrainingProgress("Office software basics", D("0.6")),
)

PLACEMENT = PlacementBlock(
    employer_display_name="Café Lumière",
    start_date=date(2026, 9, 1),
    milestones=(
        RetentionMilestone(30, date(2026, 10, 1), "MET"),
        RetentionMilestone(90, date(2026, 11, 30), "MET"),
        RetentionMilestone(180, date(2027, 2, 28), "PENDING"),
    ),
)

COUNSELOR = CounselorContact("Claire Dubois", "+33 4 72 00 00 00", "equipe@horizons.example")


def statement(language: str = "en", **changes) -> StatementData:
    """The sample statement, built from the record the way the generation code will."""
    fields = {
        "program_name": PROGRAM,
        "period": "2026-12",
        "preferred_name": RECORD["preferred_name"],
        "legal_name": RECORD["legal_name"],
        "show_legal_name": RECORD["show_legal_name"],
        "reference": RECORD["code"],
        "currency": "EUR",
        "language": language,
        "counselor": COUNSELOR,
        "stipend": STIPEND,
        "loan": LOAN,
        "training": TRAINING,
        "placement": PLACEMENT,
        "plan_milestones": (
            PlanMilestone("Open a savings account", date(2027, 1, 15)),
            PlanMilestone("Driving theory test", date(2027, 2, 20)),
        ),
    }
    fields.update(changes)
    return StatementData(**fields)


def run_lines(count: int) -> tuple[RunLine, ...]:
    methods = ("BANK_TRANSFER", "PREPAID_CARD", "CASH")
    lines = [
        RunLine(f"P-{n:04d}", methods[n % 3], D("500.00") + D(n % 7), "APPROVED")
        for n in range(1, count + 1)
    ]
    if count > 1:  # the last one the bank refused
        last = lines[-1]
        lines[-1] = RunLine(last.participant_code, last.method, last.net, "FAILED", "AC04 closed")
    return tuple(lines)


def payment_run_report(language: str = "en", line_count: int = 6) -> PaymentRunReportData:
    lines = run_lines(line_count)
    net = sum((line.net for line in lines), D(0))
    return PaymentRunReportData(
        program_name=PROGRAM,
        period="2026-12",
        state="APPROVED",
        currency="EUR",
        language=language,
        totals=ControlTotals(
            line_count=len(lines),
            base=net + D("120.00"),
            taper=D("240.00"),
            incentives=D("150.00"),
            adjustments=D("-30.00"),
            net=net,
        ),
        control_hash="9f2c1e0b7a5d4c3b2a1908f7e6d5c4b3a2918f7e6d5c4b3a2918f7e6d5c4b3a2",
        created_by="Finance officer M. Laurent",
        created_at=datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
        approved_by="Director S. Benali",
        approved_at=datetime(2026, 12, 2, 14, 5, tzinfo=UTC),
        lines=lines,
        exceptions=(
            RunException("P-0107", "MISSING_BANK_DETAILS", "No account on file; paid by card."),
            RunException("P-0311", "INCOME_NOT_REPORTED", "Income report missing; held."),
        ),
        # Frozen at approval: one line was held, so fewer than the lines calculated.
        frozen=FrozenTotals(
            count=len(lines) - 1,
            total=net - lines[-1].net,
            by_method=(
                MethodTotal("BANK_TRANSFER", len(lines) - 2, net - lines[-1].net - lines[0].net),
                MethodTotal("CASH", 1, lines[0].net),
            ),
        ),
    )


def loan_schedule(language: str = "en", preview: bool = False) -> LoanScheduleData:
    # 600.00 over 6 months, 12 % a year on the declining balance (1 % a month), rounded
    # to cents; the last principal takes the remainder so the balance ends at 0.00.
    rows = (
        ScheduleRow(1, date(2027, 1, 10), D("97.53"), D("6.00"), D("103.53"), D("502.47")),
        ScheduleRow(2, date(2027, 2, 10), D("98.51"), D("5.02"), D("103.53"), D("403.96")),
        ScheduleRow(3, date(2027, 3, 10), D("99.49"), D("4.04"), D("103.53"), D("304.47")),
        ScheduleRow(4, date(2027, 4, 10), D("100.49"), D("3.04"), D("103.53"), D("203.98")),
        ScheduleRow(5, date(2027, 5, 10), D("101.49"), D("2.04"), D("103.53"), D("102.49")),
        ScheduleRow(6, date(2027, 6, 10), D("102.49"), D("1.02"), D("103.51"), D("0.00")),
    )
    return LoanScheduleData(
        program_name=PROGRAM,
        currency="EUR",
        language=language,
        principal=D("600.00"),
        annual_rate=D("0.12"),
        installment_count=6,
        frequency="MONTHLY",
        rows=rows,
        reference="" if preview else "L-2026-0017",
        borrower_name="" if preview else RECORD["preferred_name"],
        disbursement_date=date(2026, 12, 10),
    )


def collection_sheet(language: str = "en") -> CollectionSheetData:
    return CollectionSheetData(
        program_name=PROGRAM,
        group_name="Tuesday savings group",
        meeting_date=date(2026, 12, 8),
        place="Community room, 3rd district",
        currency="EUR",
        language=language,
        members=(
            CollectionRow("Nadia", D("103.53"), D("10.00")),
            CollectionRow("Amina", D("52.00"), D("5.00"), paid=D("52.00"), attended=True),
            CollectionRow("Élodie", D("75.25"), D("10.00")),
            CollectionRow("Sofía", D("1234.56"), D("20.00"), attended=False),
            CollectionRow("Grace", D("60.00"), D("5.00")),
        ),
    )
