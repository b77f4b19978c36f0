"""The caseload's and Today's narrow reads: the same figures as the wide facts give, and
the same number of statements however much history each participant has (done
milestones, paid stipend months, old loans and repayments)."""

from __future__ import annotations

from datetime import date

from econ.microcredit import services as microcredit
from econ.outcomes import caseload as caseloads
from econ.outcomes import today as today_items
from tests.outcomes import build as b
from tests.support.queries import count_queries

AS_OF = date(2026, 6, 15)
MONTHS = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07"]


def _caseload_of(people, n: int, history: int):
    """n participants; each with `history` done milestones, paid stipend months (from
    January; July is after AS_OF's month) and repaid loans, plus a line in a cancelled run."""
    from tests.conftest import truncate_all

    truncate_all()
    _, counselor = people.counselor()
    grp = b.group(counselor.user_id)
    for i in range(n):
        person = people.participant(counselor, preferred_name=f"P{i:03d}")
        b.milestone(person, "Open step", date(2026, 7, 1))
        b.milestone(person, "Late step", date(2026, 6, 1))
        b.milestone(person, "Undated step", None)
        sched = b.schedule(person, "2026-01", 12)
        for k in range(history):
            b.milestone(person, f"Done {k}", date(2026, 1, 1), status="DONE")
            b.line(sched, MONTHS[k])  # k = 5 is AS_OF's month, k = 6 the month after
            repaid = b.loan(
                person, grp, date(2025, 1, 1), [(date(2025, 2, 1), "50.00")], state="REPAID"
            )
            b.repay(repaid, date(2025, 2, 1), "50.00")
        cancelled = b.run("2026-08", state="CANCELLED")
        line = b.line(sched, "2026-08")
        line.run = cancelled
        line.save()
        late = b.loan(
            person,
            grp,
            date(2026, 3, 1),
            [(date(2026, 4, 1), "100.00"), (date(2026, 5, 1), "100.00")],
        )
        b.repay(late, date(2026, 4, 1), "60.00")  # April part-paid: late since April 1
    return counselor


def _rows(counselor) -> list[tuple]:
    return [
        (
            r.participant.preferred_name,
            r.overdue_milestones,
            r.next_milestone.title if r.next_milestone else None,
            r.stipend_months_left,
            r.loan_days_past_due,
        )
        for r in caseloads.caseload(counselor, AS_OF)
    ]


def test_caseload_figures_and_statements_do_not_depend_on_history(people):
    counselor = _caseload_of(people, 3, history=1)
    with count_queries() as few:
        rows = _rows(counselor)
    # 12 months, January used: 11 left; April unpaid in part since April 1: 75 days
    assert rows[0] == ("P000", 1, "Open step", 11, 75)
    counselor = _caseload_of(people, 3, history=7)
    with count_queries() as many:
        rows = _rows(counselor)
    # January-June count (July is after AS_OF's month, August's run was cancelled)
    assert rows[0] == ("P000", 1, "Open step", 6, 75)
    assert few.count == many.count


def _today(counselor) -> tuple[list, int]:
    with count_queries() as counter:
        items = today_items.today(counselor, AS_OF)
    return sorted((i.kind, i.participant.preferred_name, i.days) for i in items), counter.count


def test_today_figures_and_statements_do_not_depend_on_history(people):
    few, few_count = _today(_caseload_of(people, 2, history=1))
    many, many_count = _today(_caseload_of(people, 2, history=7))
    assert few == many
    assert ("LOAN_IN_ARREARS", "P000", 75) in few
    assert ("MILESTONE_OVERDUE", "P001", 14) in few
    assert few_count == many_count


def test_days_past_due_as_the_loan_page_computes_them(people):
    counselor = _caseload_of(people, 2, history=2)
    ids = [r.participant.id for r in caseloads.caseload(counselor, AS_OF)]
    loans = [loan for loan in microcredit.loans_of_borrowers(ids) if loan.state == "DISBURSED"]
    for as_of in (date(2026, 3, 31), date(2026, 4, 2), AS_OF, date(2026, 9, 1)):
        wide = {a.loan_id: a.days_past_due for a in microcredit.arrears_for(loans, as_of)}
        narrow = {x.loan_id: x.days_past_due for x in microcredit.disbursed_loans_due(ids, as_of)}
        assert narrow == (wide if as_of >= date(2026, 3, 1) else {})


def _steps(people, open_steps: int):
    """Two participants: one whose plan has `open_steps` upcoming open steps (the later
    ones made first, a tie on the first date broken by id, a done one due sooner), three
    overdue (one in progress), an undated one; one with no plan."""
    from tests.conftest import truncate_all

    truncate_all()
    _, counselor = people.counselor()
    busy = people.participant(counselor, preferred_name="Busy")
    people.participant(counselor, preferred_name="Planless")
    b.milestone(busy, "Done sooner", date(2026, 6, 20), status="DONE")
    for k in range(open_steps - 1):  # made first, due last
        b.milestone(busy, f"Far {k}", date(2026, 9, 1 + k))
    b.milestone(busy, "Later 0", date(2026, 7, 1))
    b.milestone(busy, "Same day, after", date(2026, 7, 1), status="IN_PROGRESS")
    b.milestone(busy, "Late A", date(2026, 5, 1))
    b.milestone(busy, "Late B", date(2026, 6, 14), status="IN_PROGRESS")
    b.milestone(busy, "Late C", date(2026, 1, 1))
    b.milestone(busy, "Undated", None)
    b.milestone(busy, "Due today", AS_OF, status="DONE")
    return counselor


def test_the_next_step_and_the_overdue_count_are_the_databases(people):
    """The database counts and picks what the rows used to compute from every open step:
    the first open step due on the day or later (ties by id), the open steps past due."""
    counselor = _steps(people, open_steps=2)
    with count_queries() as few:
        rows = _rows(counselor)
    assert [r[:3] for r in rows] == [("Busy", 3, "Later 0"), ("Planless", 0, None)]
    counselor = _steps(people, open_steps=6)
    with count_queries() as many:
        rows = _rows(counselor)
    assert [r[:3] for r in rows] == [("Busy", 3, "Later 0"), ("Planless", 0, None)]
    assert few.count == many.count
    overdue = caseloads.caseload(counselor, AS_OF, filters=caseloads.CaseloadFilter(
        has_overdue_milestones=True))  # fmt: skip
    assert [r.participant.preferred_name for r in overdue] == ["Busy"]
    # the next step's own fields and her plan come with it (the Milestone type reads them)
    step = caseloads.caseload(counselor, AS_OF)[0].next_milestone
    assert (step.due_date, step.status, step.plan.participant_id) == (
        date(2026, 7, 1),
        "OPEN",
        rows and caseloads.caseload(counselor, AS_OF)[0].participant.id,
    )
