"""Placements, the retention checkpoint machine, the 90-day award and income offers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from econ.employers import services
from econ.employers.models import RetentionCheckpoint
from econ.errors import DomainError, NotFound, PermissionDenied
from econ.participants import services as participants
from econ.participants.models import IncomeRecord
from econ.stipends.models import IncentiveAward
from tests.employers.conftest import make_employer, open_opportunity, shared_referral
from tests.support.clock import on_day
from tests.support.plans import plan_with_milestone

START = dt.date(2026, 1, 5)


@pytest.fixture(autouse=True)
def recorded_on_the_start_day():
    """The hires here are recorded on their start day (a hire is never back-dated)."""
    with on_day(START):
        yield


def _hire(world, her, **placement):
    referral = shared_referral(world, her)
    for status in ("INTERVIEW", "OFFERED"):
        services.advance_referral(world.counselor, referral.id, status)
    services.advance_referral(
        world.counselor, referral.id, "HIRED", placement={"start_date": START, **placement}
    )
    return services.placement_of_referral(referral.id)


def _checkpoint(placement, days: int) -> RetentionCheckpoint:
    return RetentionCheckpoint.get(
        (RetentionCheckpoint.placement == placement.id) & (RetentionCheckpoint.days == days)
    )


def test_hire_creates_three_due_checkpoints(people, world):
    placement = _hire(world, people.participant(world.counselor))
    rows = services.checkpoints_for([placement.id])[placement.id]
    # 2026-01-05 + 30 / 90 / 180 days
    assert [(c.days, c.due_on, c.status) for c in rows] == [
        (30, dt.date(2026, 2, 4), "DUE"),
        (90, dt.date(2026, 4, 5), "DUE"),
        (180, dt.date(2026, 7, 4), "DUE"),
    ]


def test_placement_pay_is_checked_against_minimum_wage(people, world):
    her = people.participant(world.counselor)
    referral = shared_referral(world, her)
    for status in ("INTERVIEW", "OFFERED"):
        services.advance_referral(world.counselor, referral.id, status)
    with pytest.raises(DomainError) as err:
        services.advance_referral(
            world.counselor, referral.id, "HIRED", placement={"pay_amount": "9.00"}
        )
    assert err.value.code == "BELOW_MINIMUM_WAGE"
    assert services.placement_of_referral(referral.id) is None
    assert services.get_referral(world.counselor, referral.id).status == "OFFERED"


def test_ninety_day_confirmation_grants_exactly_one_award(people, world):
    her = people.participant(world.counselor)
    placement = _hire(world, her)
    checkpoint = _checkpoint(placement, 90)
    confirmed = services.confirm_retention(
        world.counselor,
        checkpoint.id,
        "CONFIRMED_EMPLOYED",
        "payslip seen",
        today=dt.date(2026, 4, 5),
    )
    assert (confirmed.status, confirmed.confirmer_role) == ("CONFIRMED_EMPLOYED", "COUNSELOR")
    with pytest.raises(DomainError) as err:
        services.confirm_retention(
            world.employer_actor, checkpoint.id, "CONFIRMED_EMPLOYED", today=dt.date(2026, 5, 1)
        )
    assert err.value.code == "ALREADY_CONFIRMED"
    awards = list(IncentiveAward.select())
    assert [(a.participant_id, a.rule, a.source_type, a.source_id) for a in awards] == [
        (her.id, "RETAINED_90_DAYS", "placement", str(placement.id))
    ]
    assert awards[0].amount == Decimal("150.00")  # incentive_retained_90_days default


def test_unreachable_can_later_be_confirmed_once(people, world):
    her = people.participant(world.counselor)
    placement = _hire(world, her)
    checkpoint = _checkpoint(placement, 90)
    day = dt.date(2026, 4, 10)
    services.confirm_retention(world.counselor, checkpoint.id, "UNREACHABLE", today=day)
    assert IncentiveAward.select().count() == 0
    with pytest.raises(DomainError) as err:
        services.confirm_retention(world.counselor, checkpoint.id, "UNREACHABLE", today=day)
    assert err.value.code == "NO_CHANGE"
    services.confirm_retention(world.employer_actor, checkpoint.id, "CONFIRMED_EMPLOYED", today=day)
    assert IncentiveAward.select().count() == 1


def test_other_checkpoints_grant_nothing_and_not_before_due(people, world):
    placement = _hire(world, people.participant(world.counselor))
    thirty = _checkpoint(placement, 30)
    with pytest.raises(DomainError) as err:
        services.confirm_retention(
            world.counselor, thirty.id, "CONFIRMED_EMPLOYED", today=dt.date(2026, 2, 3)
        )
    assert err.value.code == "NOT_YET_DUE"
    services.confirm_retention(
        world.counselor, thirty.id, "CONFIRMED_EMPLOYED", today=dt.date(2026, 2, 4)
    )
    services.confirm_retention(
        world.counselor,
        _checkpoint(placement, 180).id,
        "CONFIRMED_EMPLOYED",
        today=dt.date(2026, 8, 1),
    )
    assert IncentiveAward.select().count() == 0


def test_not_employed_at_ninety_days_grants_nothing(people, world):
    placement = _hire(world, people.participant(world.counselor))
    services.confirm_retention(
        world.counselor,
        _checkpoint(placement, 90).id,
        "CONFIRMED_NOT_EMPLOYED",
        today=dt.date(2026, 4, 6),
    )
    assert IncentiveAward.select().count() == 0


def test_employer_confirms_only_employment_at_its_own_company(people, world):
    placement = _hire(world, people.participant(world.counselor))
    checkpoint = _checkpoint(placement, 30)
    day = dt.date(2026, 3, 1)
    for outcome in ("CONFIRMED_NOT_EMPLOYED", "UNREACHABLE"):
        with pytest.raises(PermissionDenied):
            services.confirm_retention(world.employer_actor, checkpoint.id, outcome, today=day)
    other = make_employer(world.admin, name="Other")
    _, other_staff = people.employer(other.id)
    with pytest.raises(NotFound):
        services.confirm_retention(other_staff, checkpoint.id, "CONFIRMED_EMPLOYED", today=day)
    _, other_counselor = people.counselor()
    with pytest.raises(NotFound):
        services.confirm_retention(other_counselor, checkpoint.id, "CONFIRMED_EMPLOYED", today=day)
    assert _checkpoint(placement, 30).status == "DUE"


def test_ninety_day_retention_completes_linked_milestone(people, world):
    her = people.participant(world.counselor)
    milestone = plan_with_milestone(world.counselor, her.id, "Keep the job 3 months", "EMPLOYMENT")
    placement = _hire(world, her)
    participants.link_milestone(world.counselor, milestone.id, "placement", placement.id)
    services.confirm_retention(
        world.counselor,
        _checkpoint(placement, 90).id,
        "CONFIRMED_EMPLOYED",
        today=dt.date(2026, 4, 5),
    )
    assert type(milestone).get_by_id(milestone.id).status == "DONE"


def test_end_placement_rules(people, world):
    placement = _hire(world, people.participant(world.counselor))
    with pytest.raises(DomainError) as err:
        services.end_placement(world.counselor, placement.id, "2026-01-01", "RESIGNED")
    assert err.value.code == "INVALID_DATE"
    ended = services.end_placement(
        world.employer_actor, placement.id, "2026-03-31", "CONTRACT_ENDED"
    )
    assert (str(ended.ended_on), ended.end_reason) == ("2026-03-31", "CONTRACT_ENDED")
    with pytest.raises(DomainError) as err:
        services.end_placement(world.counselor, placement.id, "2026-04-30", "OTHER")
    assert err.value.code == "ALREADY_ENDED"


def test_income_offers_are_unverified_and_made_once(people, world):
    her = people.participant(world.counselor)
    # 13.50/h × 20 h × 52/12 = 1170.00 a month
    _hire(world, her)
    assert services.offer_income_records("2025-12") == 0  # before the start
    assert services.offer_income_records("2026-01") == 1
    assert services.offer_income_records("2026-01") == 0
    record = IncomeRecord.get()
    assert (record.month, record.source, record.amount) == (
        "2026-01",
        "EMPLOYMENT",
        Decimal("1170.00"),
    )
    assert record.verified_at is None
    participants.verify_income(world.counselor, record.id, record.version)
    # Her own report for a month is never overwritten by an offer.
    participants.record_income(
        world.counselor, her.id, month="2026-02", source="EMPLOYMENT", amount="900.00"
    )
    assert services.offer_income_records("2026-02") == 0
    assert IncomeRecord.get(IncomeRecord.month == "2026-02").amount == Decimal("900.00")


def test_income_offer_sums_concurrent_placements(people, world):
    her = people.participant(world.counselor)
    _hire(world, her)
    second = open_opportunity(
        world.employer_actor,
        title="Evening shift",
        pay_amount="1400.00",
        pay_period="MONTHLY",
        hours_per_week=25,
    )
    referral = services.refer_participant(world.counselor, second.id, her.id)
    for status in ("SHARED", "INTERVIEW", "OFFERED"):
        services.advance_referral(world.counselor, referral.id, status)
    services.advance_referral(
        world.counselor, referral.id, "HIRED", placement={"start_date": "2026-01-20"}
    )
    services.offer_income_records("2026-01")
    # 1170.00 (hourly job) + 1400.00 (monthly job; minimum at 25 h is 1300.00)
    assert IncomeRecord.get().amount == Decimal("2570.00")


def test_daily_task_runs_both_jobs(people, world):
    from econ.employers import tasks

    _hire(world, people.participant(world.counselor))
    assert tasks.daily.run("2026-01") == {"closed": 0, "income_offers": 1}
    assert tasks.previous_month(dt.date(2026, 1, 15)) == "2025-12"
