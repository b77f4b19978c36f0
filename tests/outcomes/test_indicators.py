"""Each indicator on the hand-built data set of tests/outcomes/dataset.py.

Period 2026-01-01 .. 2026-06-30, read as of 2026-06-30. Who is who (all of counselor C1
except P8, of C2): Cooking cohort (Jan 5 - Mar 31): P1-P6; Cleaning cohort (Feb 1 -
Apr 30): P7, P8. Employers E1 (Bakery), E2 (Laundry).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from econ.errors import DomainError
from econ.outcomes import services as outcomes
from econ.settings.services import update_settings
from tests.outcomes import build as b
from tests.outcomes.dataset import END, START, make


def _row(rows, key="ALL"):
    return next(r for r in rows if r.key == key)


def _cell(row, name):
    c = row.cells[name]
    return (c.numerator, c.denominator, c.value)


@pytest.fixture
def world(people):
    return make(people)


@pytest.fixture
def admin(people):
    return people.admin()[1]


def test_every_indicator_overall_for_admin_unsuppressed(world, admin):
    row = _row(outcomes.outcomes(admin, START, END))
    # placement rate: placed in the period = P1 (Apr 1), P2 (Feb 1), P3 (Jan 10) = 3;
    # seeking = those 3 + P4 (shared Mar 1) + P7 (hire referral shared 2025-09-17) + P8
    # (shared 2025-11-01) = 6; P6 was shared Jul 10, after the period.  3/6
    assert _cell(row, "placement_rate") == (3, 6, Decimal("0.5000"))
    # 30-day marks in the period: P1 May 1, P2 Mar 3, P3 Feb 9 (P7, P8 marks in 2025);
    # all three confirmed, P2 ended Mar 15 after her mark.  3/3
    assert _cell(row, "retention30") == (3, 3, Decimal("1.0000"))
    # 90-day marks: P1 Jun 30 (= as of), P2 May 2, P3 Apr 10, P8 Feb 13; confirmed: P1, P3
    # (P2 and P8 DUE and ended).  2/4
    assert _cell(row, "retention90") == (2, 4, Decimal("0.5000"))
    # 180-day marks: P7 Mar 30 (confirmed), P8 May 14 (DUE); P1-P3 after June.  1/2
    assert _cell(row, "retention180") == (1, 2, Decimal("0.5000"))
    # Q2 after start ends in the period only for starts in Q4 2025: P7 (Oct 1) earned
    # 1500 + 1500 + 1800 = 4800 -> 1600.00 a month; P8 (Nov 15) 900 + 600 = 1500 -> 500.00
    # (her unverified 5000 in May does not count).  median(500, 1600) = 1050.00
    cell = row.cells["median_earnings_q2"]
    assert (cell.value, cell.size) == (Decimal("1050.00"), 2)
    # ended with a seat in the period: P1, P2, P3, P7 completed, P4 withdrawn Feb 20 = 5
    # (P5 never had a seat; P8 completes Jul 15; P6 still active).  completed 4/5
    assert _cell(row, "completion_rate") == (4, 5, Decimal("0.8000"))
    # of those 5, credentials: P1, P2, P7 (P3 finished without one).  3/5
    assert _cell(row, "credential_rate") == (3, 5, Decimal("0.6000"))
    # in training during the period: P1, P2, P3, P4, P6, P7, P8 = 7; a gain dated in the
    # period: P1 (Feb 15), P3 (Mar 1), P7 (Apr 1) = 3.  3/7 = 0.428571...
    assert _cell(row, "skill_gain_rate") == (3, 7, Decimal("0.4286"))
    # loans closing in the period: L1 repaid Mar 10, L3 written off May 20, and L2 whose
    # last installment (May 1) fell due unpaid; L4, L5 mature in July/August.  1/3
    assert _cell(row, "repayment_rate") == (1, 3, Decimal("0.3333"))
    # PAR30 as of Jun 30, in cents: outstanding L2 400.00 (unpaid since Apr 1: 90 days),
    # L4 200.00 (current), L5 750.00 (unpaid since May 1: 60 days); L1 repaid, L3 written
    # off.  (40000 + 75000) / 135000 = 0.85185...
    assert _cell(row, "par30") == (115000, 135000, Decimal("0.8519"))
    assert row.cells["par30"].size == 3  # three loans
    # independent in the period: P1 (target 1000: Mar, Apr, May -> 2026-05), P3 (Nov,
    # Dec, Jan -> 2026-01), P7 (Apr, May, Jun -> 2026-06); P2 already in 2025-12.  3
    assert row.value("independent_count") == 3
    # stipend months until independence: P7 used Jan-Jun = 6; P1 Feb-Apr = 3 (May used no
    # month); P3 had no stipend.  median(3, 6) = 4.5
    cell = row.cells["median_stipend_months_to_independence"]
    assert (cell.value, cell.size) == (Decimal("4.5"), 2)
    # re-entries in the period: P4 (Apr 1), P6 (May 15); P5's was in 2025.  2
    assert row.value("reentries") == 2
    # exits P4 (Feb 25) and P6 (Mar 15): their Q2 after exit (Jul-Sep) has not ended yet
    assert _cell(row, "employment_rate_q2") == (0, 0, None)
    assert not row.suppressed


def test_by_program_counts_only_that_programs_enrolments(world, admin):
    rows = outcomes.outcomes(admin, START, END, "PROGRAM")
    assert [r.key for r in rows] == ["Cleaning", "Cooking"]
    cooking, cleaning = _row(rows, "Cooking"), _row(rows, "Cleaning")
    # Cooking ended: P1, P2, P3 completed, P4 withdrawn.  3/4; credentials P1, P2: 2/4
    assert _cell(cooking, "completion_rate") == (3, 4, Decimal("0.7500"))
    assert _cell(cooking, "credential_rate") == (2, 4, Decimal("0.5000"))
    # Cooking in training: P1, P2, P3, P4, P6; gains P1, P3.  2/5
    assert _cell(cooking, "skill_gain_rate") == (2, 5, Decimal("0.4000"))
    # Cleaning: P7 completed (P8 after the period); in training P7, P8, gain P7.  1/1, 1/2
    assert _cell(cleaning, "completion_rate") == (1, 1, Decimal("1.0000"))
    assert _cell(cleaning, "skill_gain_rate") == (1, 2, Decimal("0.5000"))
    # people-based figures count the program's trainees: Cleaning = P7, P8 placed in 2025,
    # both seeking, none placed in the period.  0/2
    assert _cell(cleaning, "placement_rate") == (0, 2, Decimal("0.0000"))


def test_cohort_and_counselor_groupings(world, admin):
    cohorts = outcomes.outcomes(admin, START, END, "COHORT")
    assert [r.key for r in cohorts] == ["Cleaning 2026-02-01", "Cooking 2026-01-05"]
    by_counselor = outcomes.outcomes(admin, START, END, "COUNSELOR")
    assert len(by_counselor) == 2
    # C2 has only P8: in training (Cleaning), no gain.  0/1
    c2 = next(r for r in by_counselor if r.group_id == world.c2.user_id)
    assert _cell(c2, "skill_gain_rate") == (0, 1, Decimal("0.0000"))


def test_small_cells_suppressed_for_finance(world, people):
    _, finance = people.finance()
    row = _row(outcomes.outcomes(finance, START, END))
    # minimum cell 5 (default): shown = denominators of 5 or more
    assert row.value("placement_rate") == Decimal("0.5000")  # 6 people
    assert row.value("completion_rate") == Decimal("0.8000")  # 5 enrolments
    assert row.value("skill_gain_rate") == Decimal("0.4286")  # 7 people
    for name in (
        "retention30",  # 3
        "retention90",  # 4
        "retention180",  # 2
        "median_earnings_q2",  # 2 values
        "repayment_rate",  # 3 loans
        "par30",  # 3 loans
        "independent_count",  # 3 people
        "reentries",  # 2
        "median_stipend_months_to_independence",  # 2 values
    ):
        cell = row.cells[name]
        assert cell.suppressed and cell.value is None and cell.numerator is None, name
    # an empty cell (0 exiters with a finished Q2) is empty, not suppressed
    assert not row.cells["employment_rate_q2"].suppressed
    assert row.suppressed


def test_secondary_suppression_hides_the_next_smallest_cell(world, people):
    _, finance = people.finance()
    rows = outcomes.outcomes(finance, START, END, "COUNSELOR")
    c1 = next(r for r in rows if r.group_id == world.c1.user_id)
    c2 = next(r for r in rows if r.group_id == world.c2.user_id)
    # skill gains: C1 counts 6 people (shown on its own), C2 counts 1 (suppressed); C1 is
    # hidden too, or overall (3/7) minus C1 would reveal C2's 0/1.
    assert c2.cells["skill_gain_rate"].suppressed
    assert c1.cells["skill_gain_rate"].suppressed
    assert c1.cells["skill_gain_rate"].size == 6


def test_counselor_sees_her_caseload_only(world):
    row = _row(outcomes.outcomes(world.c2, START, END))
    # C2's caseload is P8 alone: every non-empty cell is below 5, so suppressed
    assert row.cells["retention90"].suppressed
    assert row.cells["skill_gain_rate"].size == 1


def test_employer_sees_only_its_own_placements_retention(world, people, admin):
    update_settings(admin, {"outcomes_min_cell": "1"})
    _, bakery = people.employer(world.e1.id)
    row = _row(outcomes.outcomes(bakery, START, END))
    assert set(row.cells) == {"retention30", "retention90", "retention180"}
    # E1's placements: P1 (Apr 1), P2 (Feb 1), P8 (2025-11-15).
    # 30 days: P1 May 1, P2 Mar 3 in the period, both confirmed.  2/2
    assert _cell(row, "retention30") == (2, 2, Decimal("1.0000"))
    # 90 days: P1 Jun 30 confirmed, P2 May 2 and P8 Feb 13 not.  1/3
    assert _cell(row, "retention90") == (1, 3, Decimal("0.3333"))
    # 180 days: P8 May 14 not.  0/1
    assert _cell(row, "retention180") == (0, 1, Decimal("0.0000"))
    with pytest.raises(DomainError) as denied:
        outcomes.outcomes(bakery, START, END, "PROGRAM")
    assert denied.value.code == "FORBIDDEN"


def test_participant_sees_no_indicators(world, people):
    maria = world.p["P1"]
    _, her = people.user("PARTICIPANT", participant_id=maria.id)
    with pytest.raises(DomainError) as denied:
        outcomes.outcomes(her, START, END)
    assert denied.value.code == "FORBIDDEN"


def test_bad_range_and_grouping(world, admin):
    with pytest.raises(DomainError) as bad:
        outcomes.outcomes(admin, END, START)
    assert bad.value.code == "INVALID_RANGE"
    with pytest.raises(DomainError) as bad:
        outcomes.outcomes(admin, START, END, "CITY")
    assert bad.value.code == "INVALID_GROUPING"


def test_wioa_exit_based_employment_and_earnings(people):
    _, counselor = people.counselor()
    _, admin = people.admin()
    x1, x2, x3, x4 = (people.participant(counselor, preferred_name=f"X{i}") for i in range(1, 5))
    b.status_change(x1, "ACTIVE", "EXITED", date(2025, 8, 10))
    b.status_change(x2, "ACTIVE", "GRADUATED", date(2025, 9, 20))
    b.status_change(x3, "ACTIVE", "EXITED", date(2025, 7, 5))
    b.status_change(x4, "ACTIVE", "EXITED", date(2025, 6, 30))  # before the period
    b.income(x1, "2026-02", "1000.00")  # Q1 2026 = Q2 after a Q3 2025 exit
    b.income(x1, "2026-08", "1200.00")  # Q3 2026 = Q4 after
    b.placement(x2, b.employer(), date(2026, 3, 1))  # running from Q1 2026 on
    b.income(x4, "2026-02", "3000.00")
    rows = outcomes.outcomes(admin, date(2025, 7, 1), date(2025, 9, 30), as_of=date(2026, 10, 1))
    row = _row(rows)
    # exiters X1, X2, X3 (X4 left in June); employed in Q2 after: X1 (income), X2
    # (placement) = 2/3; in Q4 after: X1 (income Aug), X2 (placement still running) = 2/3
    assert _cell(row, "employment_rate_q2") == (2, 3, Decimal("0.6667"))
    assert _cell(row, "employment_rate_q4") == (2, 3, Decimal("0.6667"))
    # median Q2 earnings over those with income: X1 1000.00 (X2 had a job, no verified pay)
    cell = row.cells["wioa_median_earnings_q2"]
    assert (cell.value, cell.size) == (Decimal("1000.00"), 1)


def test_report_pdf_has_every_indicator_and_three_charts(world, admin, people):
    import io

    from pypdf import PdfReader

    from econ.outcomes.report import LABELS, outcomes_report_pdf

    pdf = outcomes_report_pdf(admin, START, END)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for label in LABELS.values():
        assert label in text
    assert "Placements per month" in text
    assert "Retention curve" in text
    assert "Verified monthly income against target" in text
    assert "80.0 %" in text  # completion 4/5
    assert "1150.00" in text and "1350.00" in text  # PAR30 numerator and denominator
    assert "P1" not in text  # nobody is named
    assert outcomes_report_pdf(admin, START, END) == pdf  # deterministic
    _, finance = people.finance()
    with pytest.raises(DomainError) as denied:
        outcomes_report_pdf(finance, START, END)
    assert denied.value.code == "FORBIDDEN"
