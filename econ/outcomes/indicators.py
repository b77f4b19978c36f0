"""Indicators for a period: who sees which cells, grouping, and small-cell suppression.

Reach (issue 8): ADMIN and FINANCE program-wide; a COUNSELOR her own caseload; an
EMPLOYER only the retention of its own placements; a PARTICIPANT none. Cells counting
fewer than `outcomes_min_cell` people (or loans) are suppressed for every role except
ADMIN; when a grouped view suppresses a single cell of an indicator, the next smallest cell
of that indicator is suppressed too, so that no suppressed figure can be recovered by
subtracting the other rows from the total.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from econ.employers import services as employers
from econ.errors import DomainError, PermissionDenied
from econ.outcomes import definitions as d
from econ.outcomes import sources
from econ.outcomes.errors import OutcomeCode
from econ.participants import services as participants
from econ.security.permissions import require_actor
from econ.security.roles import Actor, Role
from econ.settings.services import setting

GROUPINGS = ("OVERALL", "PROGRAM", "COHORT", "COUNSELOR")

# name -> (definition, kind); kinds: "rate", "money", "months", "count".
INDICATORS: dict[str, tuple[Callable, str]] = {
    "placement_rate": (d.placement_rate, "rate"),
    "retention30": (lambda f, s, p: d.retention(f, s, p, 30), "rate"),
    "retention90": (lambda f, s, p: d.retention(f, s, p, 90), "rate"),
    "retention180": (lambda f, s, p: d.retention(f, s, p, 180), "rate"),
    "median_earnings_q2": (d.median_earnings_q2, "money"),
    "credential_rate": (d.credential_rate, "rate"),
    "completion_rate": (d.completion_rate, "rate"),
    "skill_gain_rate": (d.skill_gain_rate, "rate"),
    "repayment_rate": (d.repayment_rate, "rate"),
    "par30": (d.par30, "rate"),
    "median_stipend_months_to_independence": (d.median_stipend_months_to_independence, "months"),
    "independent_count": (d.independent_count, "count"),
    "reentries": (d.reentries, "count"),
    "employment_rate_q2": (lambda f, s, p: d.employment_rate_after_exit(f, s, p, 2), "rate"),
    "employment_rate_q4": (lambda f, s, p: d.employment_rate_after_exit(f, s, p, 4), "rate"),
    "wioa_median_earnings_q2": (d.wioa_median_earnings_q2, "money"),
}
EMPLOYER_INDICATORS = ("retention30", "retention90", "retention180")


@dataclass(frozen=True)
class Cell:
    """One figure: its value (None when empty or suppressed) and how it was counted."""

    name: str
    value: Decimal | int | None
    numerator: int | None
    denominator: int | None
    size: int
    suppressed: bool = False


@dataclass
class IndicatorRow:
    key: str
    group_id: int | None
    cells: dict[str, Cell] = field(default_factory=dict)

    @property
    def suppressed(self) -> bool:
        return any(c.suppressed for c in self.cells.values())

    def value(self, name: str):
        cell = self.cells.get(name)
        return None if cell is None else cell.value


@dataclass(frozen=True)
class Reach:
    participant_ids: list[int]
    employer_id: int | None
    indicators: tuple[str, ...]
    suppress: bool


def reach(actor: Actor | None) -> Reach:
    actor = require_actor(actor)
    if actor.role in (Role.ADMIN, Role.FINANCE):
        return Reach(
            participants.all_participant_ids(), None, tuple(INDICATORS), actor.role != Role.ADMIN
        )
    if actor.role == Role.COUNSELOR:
        return Reach(participants.caseload_ids(actor.user_id), None, tuple(INDICATORS), True)
    if actor.role == Role.EMPLOYER and actor.employer_id:
        owners = employers.placed_participant_ids(actor.employer_id)
        return Reach(owners, actor.employer_id, EMPLOYER_INDICATORS, True)
    raise PermissionDenied("indicators are not visible to your role")


def outcomes(
    actor: Actor | None,
    start: date,
    end: date,
    group_by: str = "OVERALL",
    as_of: date | None = None,
) -> list[IndicatorRow]:
    """Indicator rows for the period, grouped, in the caller's reach, suppressed as due."""
    scope = reach(actor)
    if end < start:
        raise DomainError(OutcomeCode.INVALID_RANGE, "the period ends before it starts", "to")
    if group_by not in GROUPINGS:
        raise DomainError(OutcomeCode.INVALID_GROUPING, "unknown grouping", "groupBy")
    if scope.employer_id is not None and group_by != "OVERALL":
        raise PermissionDenied("an employer sees its own retention overall only", "groupBy")
    period = d.Period(start, end, as_of or end)
    facts = sources.load_facts(scope.participant_ids, min(period.end, period.as_of))
    rows = [
        _row(facts, key, gid, cell_scope, period, scope.indicators)
        for key, gid, cell_scope in _cells(facts, scope, group_by)
    ]
    if scope.suppress:
        _suppress(rows, setting("outcomes_min_cell"))
    return rows


def _row(facts, key, gid, cell_scope, period, names) -> IndicatorRow:
    row = IndicatorRow(key, gid)
    for name in names:
        definition, _ = INDICATORS[name]
        result = definition(facts, cell_scope, period)
        row.cells[name] = Cell(
            name,
            result.value,
            getattr(result, "numerator", None),
            getattr(result, "denominator", None),
            result.cell,
        )
    return row


def _cells(facts: sources.Facts, scope: Reach, group_by: str):
    everyone = frozenset(scope.participant_ids)
    if group_by == "OVERALL":
        yield "ALL", None, d.Scope(everyone, employer_id=scope.employer_id)
    elif group_by == "COUNSELOR":
        by_counselor: dict[int, set[int]] = {}
        for pid in everyone:
            counselor = facts.participants[pid].counselor_id
            if counselor is not None:
                by_counselor.setdefault(counselor, set()).add(pid)
        users = participants.counselors_by_id(by_counselor)
        for cid in sorted(by_counselor, key=lambda i: _user_name(users.get(i))):
            yield _user_name(users.get(cid)), cid, d.Scope(frozenset(by_counselor[cid]))
    else:
        yield from _training_cells(facts, group_by)


def _user_name(user) -> str:
    return (user.display_name or user.email) if user else "-"


def _training_cells(facts: sources.Facts, group_by: str):
    """One cell per program (or cohort): the participants who had a seat in it, and only
    its enrolments; a woman trained in two programs counts in both."""
    members: dict[int, set[int]] = {}
    for pid, rows in facts.enrollments.items():
        for e in rows:
            if not d.was_seated(facts, e):
                continue
            cohort = facts.cohorts[e.cohort_id]
            gid = cohort.program_id if group_by == "PROGRAM" else cohort.id
            members.setdefault(gid, set()).add(pid)
    for gid in sorted(members, key=lambda g: _training_key(facts, group_by, g)):
        if group_by == "PROGRAM":

            def ok(e, gid=gid):
                return facts.cohorts[e.cohort_id].program_id == gid
        else:

            def ok(e, gid=gid):
                return e.cohort_id == gid

        yield _training_key(facts, group_by, gid), gid, d.Scope(frozenset(members[gid]), ok)


def _training_key(facts: sources.Facts, group_by: str, gid: int) -> str:
    if group_by == "PROGRAM":
        return facts.programs[gid].title
    cohort = facts.cohorts[gid]
    return f"{facts.programs[cohort.program_id].title} {cohort.start_date.isoformat()}"


def _hide(cell: Cell) -> Cell:
    return Cell(cell.name, None, None, None, cell.size, True)


def _suppress(rows: list[IndicatorRow], minimum: int) -> None:
    """Primary: hide every cell of 1..minimum-1; secondary: see the module docstring."""
    for row in rows:
        for name, cell in row.cells.items():
            if 0 < cell.size < minimum:
                row.cells[name] = _hide(cell)
    if len(rows) < 2:
        return
    for name in rows[0].cells:
        hidden = [r for r in rows if r.cells[name].suppressed]
        shown = [r for r in rows if not r.cells[name].suppressed and r.cells[name].size > 0]
        if len(hidden) == 1 and shown:
            smallest = min(shown, key=lambda r: r.cells[name].size)
            smallest.cells[name] = _hide(smallest.cells[name])
