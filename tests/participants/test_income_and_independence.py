"""Income records and the independence test's edges."""

from __future__ import annotations

from decimal import Decimal

import pytest

from econ.errors import DomainError
from econ.participants import services
from econ.participants.income import consecutive_months_at_target
from econ.participants.models import IncomeRecord

TARGET = Decimal("1400.00")


def _verified(counselor, person, month, amount, source="EMPLOYMENT"):
    record = services.record_income(counselor, person.id, month=month, source=source, amount=amount)
    services.verify_income(counselor, record.id, record.version)


def test_two_months_at_target_is_not_independence_three_is(people):
    _, counselor = people.counselor()
    person = people.participant(counselor)
    _verified(counselor, person, "2026-08", "1400.00")
    _verified(counselor, person, "2026-09", "1500.00")
    result = services.independence(person.id)
    assert (result.independent, result.consecutive_months_at_target) == (False, 2)
    _verified(counselor, person, "2026-10", "1400.00")
    result = services.independence(person.id)
    assert (result.independent, result.consecutive_months_at_target) == (True, 3)
    assert result.target_monthly_income == TARGET


def test_a_dip_resets_the_count(people):
    _, counselor = people.counselor()
    person = people.participant(counselor)
    for month, amount in [
        ("2026-06", "1500.00"),
        ("2026-07", "1500.00"),
        ("2026-08", "1399.99"),
        ("2026-09", "1500.00"),
        ("2026-10", "1500.00"),
    ]:
        _verified(counselor, person, month, amount)
    result = services.independence(person.id)
    assert (result.independent, result.consecutive_months_at_target) == (False, 2)


def test_employment_and_business_add_up_unverified_and_other_do_not_count(people):
    _, counselor = people.counselor()
    person = people.participant(counselor)
    for month in ("2026-08", "2026-09", "2026-10"):
        _verified(counselor, person, month, "900.00", "EMPLOYMENT")
        _verified(counselor, person, month, "500.00", "BUSINESS")
    services.record_income(
        counselor, person.id, month="2026-11", source="EMPLOYMENT", amount="5000.00"
    )  # reported, not verified
    _verified(counselor, person, "2026-11", "9000.00", "OTHER")
    result = services.independence(person.id)
    assert (result.independent, result.consecutive_months_at_target) == (True, 3)
    assert result.latest_month == "2026-10"


def test_a_missing_month_breaks_the_run():
    months = {"2026-07": TARGET, "2026-08": TARGET, "2026-10": TARGET}
    assert consecutive_months_at_target(months, TARGET) == (1, "2026-10")
    assert consecutive_months_at_target(months, TARGET, up_to="2026-08") == (2, "2026-08")
    assert consecutive_months_at_target(
        {"2026-01": TARGET, "2025-12": TARGET, "2025-11": TARGET}, TARGET
    ) == (3, "2026-01")


def test_plan_target_overrides_the_default(people):
    _, counselor = people.counselor()
    person = people.participant(counselor)
    services.revise_plan(
        counselor,
        person.id,
        pathways=["EMPLOYMENT"],
        target_monthly_income="1000.00",
        milestones=[],
    )
    for month in ("2026-08", "2026-09", "2026-10"):
        _verified(counselor, person, month, "1000.00")
    assert services.independence(person.id).independent is True


def test_verified_income_cannot_be_overwritten_or_verified_twice(people):
    _, counselor = people.counselor()
    person = people.participant(counselor)
    record = services.record_income(
        counselor, person.id, month="2026-10", source="EMPLOYMENT", amount="800.00"
    )
    services.verify_income(counselor, record.id, record.version)
    with pytest.raises(DomainError) as again:
        services.verify_income(counselor, record.id, record.version)
    assert again.value.code == "ALREADY_VERIFIED"
    with pytest.raises(DomainError) as overwrite:
        services.record_income(
            counselor, person.id, month="2026-10", source="EMPLOYMENT", amount="1.00"
        )
    assert overwrite.value.code == "ALREADY_VERIFIED"
    assert IncomeRecord.get_by_id(record.id).amount == Decimal("800.00")


@pytest.mark.parametrize(
    ("month", "amount", "field", "code"),
    [
        ("2026-13", "10.00", "month", "INVALID_MONTH"),
        ("26-01", "10.00", "month", "INVALID_MONTH"),
        ("2026-01", "10.001", "amount", "INVALID_AMOUNT"),
        ("2026-01", "-5", "amount", "INVALID_AMOUNT"),
        ("2026-01", "1e3", "amount", "INVALID_AMOUNT"),
    ],
)
def test_bad_income_input_is_refused(people, month, amount, field, code):
    _, counselor = people.counselor()
    person = people.participant(counselor)
    with pytest.raises(DomainError) as error:
        services.record_income(
            counselor, person.id, month=month, source="EMPLOYMENT", amount=amount
        )
    assert (error.value.field, error.value.code) == (field, code)
    assert IncomeRecord.select().count() == 0


def test_participant_reports_her_own_income_but_cannot_verify_it(people):
    _, counselor = people.counselor()
    person = people.participant(counselor)
    _, her = people.participant_login(counselor, person)
    record = services.record_income(
        her, person.id, month="2026-10", source="BUSINESS", amount="250.00"
    )
    with pytest.raises(DomainError) as error:
        services.verify_income(her, record.id, record.version)
    assert error.value.code == "FORBIDDEN"
