"""The catalogue and cohorts at the service layer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from econ.errors import DomainError
from econ.training import services as training
from econ.training.models import TrainingProgram
from tests.training.conftest import TODAY


def test_program_fields_are_validated_before_anything_is_written(kit):
    cases = [
        ({"format": "CORRESPONDENCE"}, "INVALID_FORMAT", "format"),
        ({"total_hours": "-3"}, "INVALID_HOURS", "totalHours"),
        ({"hours_per_week": "7.25"}, "INVALID_HOURS", "hoursPerWeek"),
        ({"cost": "12.345"}, "INVALID_AMOUNT", "cost"),
        ({"capacity": 0}, "INVALID_CAPACITY", "capacity"),
        ({"languages": []}, "REQUIRED", "languages"),
        ({"title": "  "}, "REQUIRED", "title"),
        ({"skills": [{"key": "has spaces"}]}, "INVALID_SKILL", "skills"),
    ]
    for override, code, field in cases:
        with pytest.raises(DomainError) as err:
            kit.program(**override)
        assert (err.value.code, err.value.field) == (code, field), override
    assert TrainingProgram.select().count() == 0


def test_program_money_and_hours_are_exact(kit):
    program = kit.program(cost="850.10", hours_per_week="7.5")
    stored = TrainingProgram.get_by_id(program.id)
    assert stored.cost == Decimal("850.10")
    assert stored.hours_per_week == Decimal("7.5")


def test_browse_by_skill_language_and_activity(kit, people):
    cooking = kit.program()
    kit.program(
        title="Office IT basics",
        languages=["fr"],
        skills=[{"key": "spreadsheets", "label": "Spreadsheets"}],
    )
    retired = kit.program(title="Retired course")
    training.update_program(kit.counselor, retired.id, active=False)
    titles = lambda actor, **kw: [p.title for p in training.list_programs(actor, **kw)]  # noqa: E731
    # the retired course teaches knife skills too, but only active ones are listed by default
    assert titles(kit.counselor, skill="knife-skills") == [cooking.title]
    assert titles(kit.counselor, language="fr") == ["Office IT basics"]
    assert titles(kit.counselor, active_only=False) == [
        "Office IT basics",
        "Professional cooking, level 1",
        "Retired course",
    ]
    # a participant can look for training herself, but never sees retired programs
    maria = kit.participant()
    _, her = people.participant_login(kit.counselor, maria)
    assert titles(her, active_only=False) == ["Office IT basics", "Professional cooking, level 1"]
    with pytest.raises(DomainError) as err:
        training.get_program(her, retired.id)
    assert err.value.code == "NOT_FOUND"


def test_only_admin_and_counselor_manage_the_catalogue(kit, people):
    _, finance = people.finance()
    maria = kit.participant()
    _, her = people.participant_login(kit.counselor, maria)
    for actor in (finance, her):
        with pytest.raises(DomainError) as err:
            training.create_program(actor, title="X")
        assert err.value.code == "FORBIDDEN"
    _, admin = people.admin()
    assert (
        training.create_program(
            admin,
            title="Forklift licence",
            provider="Logística Sur",
            format="IN_PERSON",
            languages=["es"],
            total_hours="40",
            hours_per_week="20",
            capacity=8,
        ).credential_name
        is None
    )


def test_cohort_defaults_and_dates(kit):
    program = kit.program(capacity=12)
    cohort = kit.cohort(program, session_days=["WED", "MON", "WED"])
    assert cohort.capacity == 12  # the program's
    assert cohort.session_days == ["MON", "WED"]  # week order, no duplicates
    with pytest.raises(DomainError) as err:
        kit.cohort(program, start_date=TODAY, end_date=TODAY - dt.timedelta(days=1))
    assert err.value.code == "INVALID_DATES"
    with pytest.raises(DomainError) as err:
        kit.cohort(program, session_days=[])
    assert err.value.code == "REQUIRED"
