"""Inputs of the documents: frozen dataclasses that whoever gathers the data fills in.

They hold only what a document prints. There is deliberately no field for a postal
address and the legal name prints only when she has chosen it (`show_legal_name`).
Amounts are `Decimal` with at most two places; sequences are tuples so data is immutable.
Codes (payment status, method, milestone state) are printed through translated labels.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from econ.money import to_cents

PAGE_SIZES = ("A4", "LETTER")


def _check_amounts(obj: object, *names: str) -> None:
    for name in names:
        to_cents(getattr(obj, name))  # raises on float or sub-cent values


# --- monthly participant statement -------------------------------------------------------


@dataclass(frozen=True)
class NamedAmount:
    """An incentive by name, e.g. "Attendance bonus"."""

    name: str
    amount: Decimal

    def __post_init__(self) -> None:
        _check_amounts(self, "amount")


@dataclass(frozen=True)
class Adjustment:
    """A correction with its reason; negative when it reduces the stipend."""

    reason: str
    amount: Decimal

    def __post_init__(self) -> None:
        _check_amounts(self, "amount")


@dataclass(frozen=True)
class StipendBlock:
    base: Decimal
    taper: Decimal  # the reduction, a positive amount subtracted from the base
    taper_income: Decimal  # the earned income the reduction was computed from
    net: Decimal
    payment_status: str  # PAID, SCHEDULED, PENDING, HELD, FAILED
    payment_method: str  # BANK_TRANSFER, PREPAID_CARD, CASH, MOBILE_MONEY
    payment_date: date | None = None
    incentives: tuple[NamedAmount, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()

    def __post_init__(self) -> None:
        _check_amounts(self, "base", "taper", "taper_income", "net")
        # She must be able to add the lines up herself: a statement that does not is a bug.
        expected = (
            self.base
            - self.taper
            + sum((i.amount for i in self.incentives), Decimal(0))
            + sum((a.amount for a in self.adjustments), Decimal(0))
        )
        if expected != self.net:
            raise ValueError(f"stipend lines add up to {expected}, not to net {self.net}")


@dataclass(frozen=True)
class Installment:
    due_date: date
    amount: Decimal

    def __post_init__(self) -> None:
        _check_amounts(self, "amount")


@dataclass(frozen=True)
class LoanBlock:
    outstanding_principal: Decimal
    next_installments: tuple[Installment, ...] = ()  # the statement shows the first three
    days_past_due: int = 0
    overdue_installments: int = 0

    def __post_init__(self) -> None:
        _check_amounts(self, "outstanding_principal")


@dataclass(frozen=True)
class TrainingProgress:
    program_name: str
    attendance_rate: Decimal  # 0..1
    credentials: tuple[str, ...] = ()


@dataclass(frozen=True)
class RetentionMilestone:
    days: int  # 30, 90, 180 days after the start date
    due_date: date
    state: str  # MET, PENDING, MISSED


@dataclass(frozen=True)
class PlacementBlock:
    employer_display_name: str
    start_date: date
    milestones: tuple[RetentionMilestone, ...] = ()


@dataclass(frozen=True)
class PlanMilestone:
    title: str
    due_date: date


@dataclass(frozen=True)
class CounselorContact:
    """Her counselor's name and the office's work phone and e-mail (never a private one)."""

    name: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class StatementData:
    program_name: str  # the neutral display name from the settings
    period: str  # YYYY-MM
    preferred_name: str
    currency: str
    language: str
    counselor: CounselorContact
    legal_name: str = ""
    show_legal_name: bool = False
    reference: str = ""  # her participant code, to quote when she calls
    stipend: StipendBlock | None = None
    loan: LoanBlock | None = None
    training: tuple[TrainingProgress, ...] = ()
    placement: PlacementBlock | None = None
    plan_milestones: tuple[PlanMilestone, ...] = ()

    @property
    def display_name(self) -> str:
        if self.show_legal_name and self.legal_name:
            return self.legal_name
        return self.preferred_name


# --- payment run report ------------------------------------------------------------------


@dataclass(frozen=True)
class ControlTotals:
    line_count: int
    base: Decimal
    taper: Decimal
    incentives: Decimal
    adjustments: Decimal
    net: Decimal

    def __post_init__(self) -> None:
        _check_amounts(self, "base", "taper", "incentives", "adjustments", "net")


@dataclass(frozen=True)
class MethodTotal:
    method: str
    count: int
    total: Decimal


@dataclass(frozen=True)
class FrozenTotals:
    """What the approver froze: the payable lines, in all and per payment method."""

    count: int
    total: Decimal
    by_method: tuple[MethodTotal, ...] = ()


@dataclass(frozen=True)
class RunLine:
    participant_code: str
    method: str
    net: Decimal
    status: str
    reason: str = ""  # why it is held or failed (a code and the bank's reason)
    loan_id: int | None = None  # a loan's payout, not a stipend

    def __post_init__(self) -> None:
        _check_amounts(self, "net")


@dataclass(frozen=True)
class RunException:
    participant_code: str
    code: str
    message: str


@dataclass(frozen=True)
class PaymentRunReportData:
    program_name: str
    period: str  # YYYY-MM
    state: str
    currency: str
    totals: ControlTotals
    control_hash: str
    created_by: str
    created_at: datetime
    language: str = "en"
    timezone: str = "UTC"  # timestamps are printed in this zone
    approved_by: str = ""
    approved_at: datetime | None = None
    lines: tuple[RunLine, ...] = ()
    exceptions: tuple[RunException, ...] = ()
    frozen: FrozenTotals | None = None  # None before approval


# --- loan schedule -----------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleRow:
    number: int
    due_date: date
    principal: Decimal
    interest: Decimal
    total: Decimal
    balance: Decimal  # principal still owed after this installment

    def __post_init__(self) -> None:
        _check_amounts(self, "principal", "interest", "total", "balance")
        if self.principal + self.interest != self.total:
            raise ValueError(f"installment {self.number}: principal + interest != total")


@dataclass(frozen=True)
class LoanScheduleData:
    program_name: str
    currency: str
    language: str
    principal: Decimal
    annual_rate: Decimal  # 0.12 for 12 % a year
    installment_count: int
    frequency: str  # WEEKLY, BIWEEKLY, MONTHLY
    rows: tuple[ScheduleRow, ...]
    reference: str = ""  # empty for a preview
    borrower_name: str = ""  # her preferred name; empty for a preview
    disbursement_date: date | None = None

    def __post_init__(self) -> None:
        _check_amounts(self, "principal")

    @property
    def is_preview(self) -> bool:
        return not self.reference


# --- group collection sheet --------------------------------------------------------------


@dataclass(frozen=True)
class CollectionRow:
    preferred_name: str
    amount_due: Decimal
    savings_due: Decimal
    paid: Decimal | None = None  # None: left blank to fill in by hand at the meeting
    attended: bool | None = None
    savings_paid: Decimal | None = None  # None: left blank, as `paid`

    def __post_init__(self) -> None:
        _check_amounts(self, "amount_due", "savings_due")
        for recorded in ("paid", "savings_paid"):
            if getattr(self, recorded) is not None:
                _check_amounts(self, recorded)


@dataclass(frozen=True)
class CollectionSheetData:
    program_name: str
    group_name: str
    meeting_date: date
    place: str  # coarse: "Community room, north district"; never a home address
    currency: str
    language: str
    members: tuple[CollectionRow, ...] = field(default=())


def text_fields(obj: object) -> Iterator[str]:
    """Every string inside a document's data, for the wording check."""
    if isinstance(obj, str):
        yield obj
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield from text_fields(getattr(obj, f.name))
    elif isinstance(obj, tuple):
        for item in obj:
            yield from text_fields(item)
