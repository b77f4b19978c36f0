"""The amount rules of DOMAIN.md, by hand-computed tables and through real runs.

Defaults (DOMAIN.md): base 900.00, disregard 300.00, taper 50 %, target 1,400.00.
"""

from __future__ import annotations

import pytest

from econ.errors import DomainError, PermissionDenied
from econ.stipends import services as stipends
from econ.stipends import tasks as stipends_tasks
from econ.stipends.calculation import Rules, breakdown
from econ.stipends.models import PaymentLine, StipendSchedule
from econ.worker import BEAT_SCHEDULE
from tests.stipends.conftest import d, line_of

DEFAULT = Rules(disregard=d("300.00"), taper_rate=d("50"))

# earned, incentives, adjustments -> taper, net, remainder, uses duration (base 900.00)
TABLE = [
    # below the disregard: no taper
    ("0.00", "0.00", "0.00", "0.00", "900.00", "0.00", True),
    ("299.99", "0.00", "0.00", "0.00", "900.00", "0.00", True),
    # at the disregard: still none
    ("300.00", "0.00", "0.00", "0.00", "900.00", "0.00", True),
    # 0.01 above: 0.005 rounds half-up to 0.01
    ("300.01", "0.00", "0.00", "0.01", "899.99", "0.00", True),
    # 0.05 above: 0.025 rounds half-up to 0.03 (half-even would give 0.02)
    ("300.05", "0.00", "0.00", "0.03", "899.97", "0.00", True),
    # (800 - 300) x 50 % = 250.00
    ("800.00", "0.00", "0.00", "250.00", "650.00", "0.00", True),
    # (2100 - 300) x 50 % = 900.00 = base: nothing left, no duration used
    ("2100.00", "0.00", "0.00", "900.00", "0.00", "0.00", False),
    # (5000 - 300) x 50 % = 2350.00, capped at the base 900.00
    ("5000.00", "0.00", "0.00", "900.00", "0.00", "0.00", False),
    # taper at base, an incentive is still paid: 900 - 900 + 100
    ("5000.00", "100.00", "0.00", "900.00", "100.00", "0.00", False),
    # incentive and support grant on top: 900 - 250 + 150 + 60 = 860
    ("800.00", "150.00", "60.00", "250.00", "860.00", "0.00", True),
    # negative adjustment larger than what is left: 900 - 0 - 1000 = -100 -> 0, 100 reported
    ("0.00", "0.00", "-1000.00", "0.00", "0.00", "100.00", True),
    # exactly used up: 900 - 250 - 650 = 0, nothing reported
    ("800.00", "0.00", "-650.00", "250.00", "0.00", "0.00", True),
]


@pytest.mark.parametrize(
    "earned, incentives, adjustments, taper, net, remainder, uses", TABLE, ids=range(len(TABLE))
)
def test_breakdown_table(earned, incentives, adjustments, taper, net, remainder, uses):
    result = breakdown(d("900.00"), d(earned), d(incentives), d(adjustments), DEFAULT)
    assert (result.taper, result.net, result.remainder, result.uses_duration) == (
        d(taper),
        d(net),
        d(remainder),
        uses,
    )


def test_taper_rate_with_decimals_rounds_half_up():
    # (400 - 300) x 33.325 % = 33.325 -> 33.33 half-up (half-even would give 33.32)
    rules = Rules(disregard=d("300.00"), taper_rate=d("33.325"))
    assert breakdown(d("900.00"), d("400.00"), d("0"), d("0"), rules).taper == d("33.33")


def test_taper_below_at_and_above_disregard_in_a_run(world):
    below, at, above = world.participant(), world.participant(), world.participant()
    for p in (below, at, above):
        world.schedule(p, start="2026-01")
    world.income(below, "2025-12", "250.00")
    world.income(at, "2025-12", "300.00")
    world.income(above, "2025-12", "1100.00")
    run = world.calculate("2026-01")
    # income of December is used for January; (1100 - 300) x 50 % = 400.00
    assert [line_of(run, p).taper for p in (below, at, above)] == [d("0"), d("0"), d("400.00")]
    assert [line_of(run, p).net for p in (below, at, above)] == [
        d("900.00"),
        d("900.00"),
        d("500.00"),
    ]
    assert line_of(run, above).inputs["incomeMonth"] == "2025-12"


def test_unverified_income_holds_the_line_instead_of_paying_as_if_she_earned_nothing(world):
    """Issue 15 item 3: the month of an unverified payslip was paid with no taper."""
    p = world.participant()
    world.schedule(p)
    from econ.participants import services as participants

    participants.record_income(
        world.counselor, p.id, month="2025-12", source="EMPLOYMENT", amount="2000.00"
    )
    line = line_of(world.calculate("2026-01"), p)
    assert (line.status, line.exception, line.net) == ("HELD", "INCOME_NOT_VERIFIED", d("0.00"))
    assert line.uses_duration is False and line.inputs["incomeKnown"] is False


def test_incentive_paid_once_across_runs_and_recalculation(world):
    p = world.participant()
    world.schedule(p)
    award, _ = stipends.grant_award(p.id, "TRAINING_COMPLETED", "enrollment", 7)
    stipends.approve_award(world.finance2, award.id)
    january = world.calculate("2026-01")
    # default incentive for a completed training: 100.00
    assert line_of(january, p).incentives == d("100.00")
    january = world.recalculate(january)
    assert line_of(january, p).incentives == d("100.00")
    february = world.calculate("2026-02")
    assert line_of(february, p).incentives == d("0.00")
    award = award.__class__.get_by_id(award.id)
    assert award.paid_line_id == line_of(january, p).id


def test_cancelled_run_frees_its_awards(world):
    p = world.participant()
    world.schedule(p)
    award, _ = stipends.grant_award(p.id, "RETAINED_90_DAYS", "placement", 3)
    stipends.approve_award(world.finance2, award.id)
    january = world.calculate("2026-01")
    stipends.cancel_run(world.finance, january.id, "wrong month")
    again = world.calculate("2026-01")
    # 90-day retention award: 150.00, paid by the new run
    assert line_of(again, p).incentives == d("150.00")
    assert line_of(again, p).net == d("1050.00")


def test_negative_adjustment_floored_and_remainder_reported(world):
    p = world.participant()
    world.schedule(p)
    adjustment = stipends.create_adjustment(
        world.finance, p.id, period="2026-01", amount="-1000.00", reason="overpaid in December"
    )
    stipends.approve_adjustment(world.finance2, adjustment.id)
    run = world.calculate("2026-01")
    line = line_of(run, p)
    # 900 - 0 + 0 - 1000 = -100: net 0, remainder 100 reported, line held
    assert (line.net, line.remainder, line.status, line.exception) == (
        d("0.00"),
        d("100.00"),
        "HELD",
        "NEGATIVE_REMAINDER",
    )
    items = stipends.run_exceptions(world.finance, run.id)
    assert [(i.kind, i.amount) for i in items] == [("NEGATIVE_REMAINDER", d("100.00"))]


def test_unapproved_adjustment_is_not_paid(world):
    p = world.participant()
    world.schedule(p)
    stipends.create_adjustment(
        world.finance, p.id, period="2026-01", amount="50.00", reason="bus", category="TRANSPORT"
    )
    assert line_of(world.calculate("2026-01"), p).adjustments == d("0.00")


def test_adjustment_approval_needs_another_finance_user(world):
    p = world.participant()
    adjustment = stipends.create_adjustment(
        world.finance, p.id, period="2026-01", amount="80.00", reason="kit", category="EQUIPMENT"
    )
    with pytest.raises(PermissionDenied):
        stipends.approve_adjustment(world.finance, adjustment.id)
    with pytest.raises(DomainError) as exc:
        stipends.create_adjustment(
            world.finance, p.id, period="2026-01", amount="-5.00", reason="x", category="OTHER"
        )
    assert exc.value.code == "INVALID_AMOUNT"


def test_paused_months_make_no_line_and_use_no_duration(world):
    p = world.participant()
    schedule = world.schedule(p, start="2026-01", duration=6)
    world.calculate("2026-01")
    stipends.pause_schedule(world.counselor, schedule.id, "hospital stay")
    february = world.calculate("2026-02")
    assert line_of(february, p) is None
    stipends.resume_schedule(world.counselor, schedule.id, "back home")
    world.calculate("2026-03")
    used = (
        PaymentLine.select()
        .where((PaymentLine.schedule == schedule.id) & PaymentLine.uses_duration)
        .count()
    )
    assert used == 2  # January and March; February was paused


def test_duration_used_only_when_base_exceeds_taper(world):
    p = world.participant()
    schedule = world.schedule(p, start="2026-01", duration=6)
    # February income 2100.00 tapers March to 0: March uses no month of the six; then
    # her counselor verifies that she earned nothing (without it April is held: her
    # earnings are unknown, see test_unverified_income_holds_...)
    world.income(p, "2026-02", "2100.00")
    for month in ("2026-03", "2026-04", "2026-05", "2026-06"):
        world.income(p, month, "0.00")
    months = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07"]
    for month in months:
        world.calculate(month)
    lines = PaymentLine.select().where(PaymentLine.schedule == schedule.id)
    assert sorted(line.period for line in lines if not line.uses_duration) == ["2026-03"]
    assert StipendSchedule.get_by_id(schedule.id).state == "ACTIVE"
    # Jan, Feb, Apr, May, Jun, Jul = 6 months used: August ends the schedule, no line
    august = world.calculate("2026-08")
    assert line_of(august, p) is None
    ended = StipendSchedule.get_by_id(schedule.id)
    assert (ended.state, ended.end_reason) == ("ENDED", "DURATION_USED")
    kinds = [i.kind for i in stipends.run_exceptions(world.finance, august.id)]
    assert kinds == ["ENDED_DURATION_USED"]


def test_schedule_ends_on_independence(world):
    p = world.participant()
    schedule = world.schedule(p, start="2026-01")
    # three consecutive verified months at or above the 1400.00 target
    for month in ("2026-01", "2026-02", "2026-03"):
        world.income(p, month, "1400.00")
    assert line_of(world.calculate("2026-03"), p) is not None  # only 2 months before March
    april = world.calculate("2026-04")
    assert line_of(april, p) is None
    ended = StipendSchedule.get_by_id(schedule.id)
    assert (ended.state, ended.end_reason) == ("ENDED", "INDEPENDENCE")


def test_the_24_month_cap(world):
    p = world.participant()
    with pytest.raises(DomainError) as exc:
        stipends.create_schedule(
            world.counselor,
            p.id,
            monthly_amount="900.00",
            start_month="2026-01",
            duration_months=25,
        )
    assert exc.value.code == "INVALID_DURATION"
    schedule = world.schedule(p, duration=12)
    with pytest.raises(DomainError) as exc:
        stipends.extend_schedule(world.finance, schedule.id, 25)
    assert exc.value.code == "INVALID_DURATION"
    stipends.extend_schedule(world.finance, schedule.id, 24)
    assert StipendSchedule.get_by_id(schedule.id).duration_months == 12  # not yet approved
    with pytest.raises(PermissionDenied):
        stipends.approve_schedule(world.finance, schedule.id)
    stipends.approve_schedule(world.finance2, schedule.id)
    assert StipendSchedule.get_by_id(schedule.id).duration_months == 24


def test_not_started_schedule_makes_no_line(world):
    p = world.participant()
    world.schedule(p, start="2026-05")
    assert line_of(world.calculate("2026-04"), p) is None


def test_the_daily_job_ends_a_schedule_whose_months_are_all_approved(world):
    """Issue 13 item 8: without waiting for next month's run, and only on approved money."""
    p, other = world.participant(), world.participant()
    schedule = world.schedule(p, start="2026-01", duration=6)
    running = world.schedule(other, start="2026-01", duration=7)
    for month in ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05"):
        world.approve(world.calculate(month))
    june = world.calculate("2026-06")
    assert stipends_tasks.end_used_schedules.apply().get() == 0  # June is still a draft
    world.approve(june)
    assert stipends_tasks.end_used_schedules.apply().get() == 1
    ended = StipendSchedule.get_by_id(schedule.id)
    assert (ended.state, ended.end_reason) == ("ENDED", "DURATION_USED")
    assert StipendSchedule.get_by_id(running.id).state == "ACTIVE"
    assert stipends_tasks.end_used_schedules.apply().get() == 0  # idempotent
    assert "stipends.end_used_schedules" in {e["task"] for e in BEAT_SCHEDULE.values()}
