"""A counselor's caseload: her participants with a few signals each, sorted and filtered.

Computed from one `sources.load_facts` call over her whole caseload (a fixed number of
statements whatever its size); filtering and sorting then run in memory on small rows,
and the page is cut from the sorted list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from econ.errors import DomainError
from econ.outcomes import sources
from econ.outcomes.calendar import add_months, month_of
from econ.outcomes.errors import OutcomeCode
from econ.outcomes.projection import months_at_target_in_a_row
from econ.participants import services as participants
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role

SORT_KEYS = (
    "NAME",
    "STATUS",
    "INDEPENDENCE",
    "NEXT_MILESTONE",
    "OVERDUE_MILESTONES",
    "STIPEND_MONTHS_LEFT",
    "DAYS_PAST_DUE",
)
# Narrow parts: her open, dated milestones counted and the next one picked by the
# database, the months left of her live stipend and each disbursed loan's days past due as
# figures (docs/performance.md, counselor's pages).
PARTS = {"targets", "milestone_summary", "income", "stipend_months_left", "late_loans"}


@dataclass(frozen=True)
class CaseloadRow:
    participant: object
    status: str
    months_at_target: int  # of the 3 the independence test needs
    latest_income: Decimal | None
    target: Decimal
    next_milestone: object | None
    overdue_milestones: int
    stipend_months_left: int | None  # None: no live stipend
    loan_days_past_due: int
    as_of: date
    pathways: tuple[str, ...] = ()

    @property
    def independence_progress(self) -> Decimal:
        """Share of the independence test met: months at target in a row ÷ 3, at most 1."""
        return min(Decimal(self.months_at_target) / 3, Decimal(1)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class CaseloadFilter:
    status: str | None = None
    has_overdue_milestones: bool | None = None
    in_arrears: bool | None = None
    stipend_months_left_at_most: int | None = None
    search: str | None = None  # preferred name or code, case-insensitive
    pathway: str | None = None  # one of her plan's pathways


def caseload(
    actor: Actor | None,
    as_of: date,
    sort: str = "NAME",
    descending: bool = False,
    filters: CaseloadFilter | None = None,
) -> list[CaseloadRow]:
    """Her whole caseload as rows (the GraphQL connection pages it)."""
    actor = require_role(actor, Role.COUNSELOR)
    if sort not in SORT_KEYS:
        raise DomainError(OutcomeCode.INVALID_SORT, "unknown sort key", "sort")
    people = participants.caseload_participants(actor.user_id)
    facts = sources.load_facts(people, as_of, parts=PARTS, people=people)
    pathways = participants.pathways_of_participants(people)
    rows = [_row(facts, pid, as_of, pathways.get(pid, ())) for pid in facts.participants]
    rows = [r for r in rows if _matches(r, filters or CaseloadFilter())]
    rows.sort(key=lambda r: r.participant.id)  # stable tie-break, then the chosen key
    rows.sort(key=lambda r: _sort_value(r, sort), reverse=descending)
    return rows


def _row(facts: sources.Facts, pid: int, as_of: date, pathways: tuple[str, ...]) -> CaseloadRow:
    participant = facts.participants[pid]
    target = facts.targets[pid]
    months = facts.income.get(pid, {})
    last = add_months(month_of(as_of), -1)
    known = [m for m in months if m <= last]
    dpd = max((loan.days_past_due for loan in facts.late_loans.get(pid, [])), default=0)
    return CaseloadRow(
        participant=participant,
        status=participant.status,
        months_at_target=min(months_at_target_in_a_row(months, target, last), 3),
        latest_income=months[max(known)] if known else None,
        target=target,
        next_milestone=facts.next_milestones.get(pid),
        overdue_milestones=facts.overdue_counts.get(pid, 0),
        stipend_months_left=facts.stipend_months_left.get(pid),
        loan_days_past_due=dpd,
        as_of=as_of,
        pathways=pathways,
    )


def _matches(row: CaseloadRow, f: CaseloadFilter) -> bool:
    if f.status and row.status != f.status:
        return False
    if f.pathway and f.pathway not in row.pathways:
        return False
    if (
        f.has_overdue_milestones is not None
        and (row.overdue_milestones > 0) != f.has_overdue_milestones
    ):
        return False
    if f.in_arrears is not None and (row.loan_days_past_due > 0) != f.in_arrears:
        return False
    if f.stipend_months_left_at_most is not None and (
        row.stipend_months_left is None or row.stipend_months_left > f.stipend_months_left_at_most
    ):
        return False
    if f.search:
        needle = f.search.strip().casefold()
        haystack = f"{row.participant.preferred_name} {row.participant.code}".casefold()
        if needle not in haystack:
            return False
    return True


_FAR = date.max - timedelta(days=1)


def _sort_value(row: CaseloadRow, key: str):
    """Rows without a value sort last in ascending order."""
    if key == "NAME":
        return row.participant.preferred_name.casefold()
    if key == "STATUS":
        return row.status
    if key == "INDEPENDENCE":
        return (row.months_at_target, row.latest_income or Decimal(0))
    if key == "NEXT_MILESTONE":
        return row.next_milestone.due_date if row.next_milestone else _FAR
    if key == "OVERDUE_MILESTONES":
        return row.overdue_milestones
    if key == "STIPEND_MONTHS_LEFT":
        return row.stipend_months_left if row.stipend_months_left is not None else 10**6
    return row.loan_days_past_due
