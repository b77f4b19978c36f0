"""Saved caseload filters under concurrency (PostgreSQL when configured, else SQLite).

A double click on "Save" sends the same name twice at once: one filter, two clean
answers (never a database error). Four new names at once beside her nineteen still keep
twenty: the cap is counted under her lock, not beside another save.

Before, on PostgreSQL: the second and third save of the same name were IntegrityErrors
(an internal error to her), and the four new names all passed the count (23 filters)."""

from __future__ import annotations

from econ.outcomes import saved_filters
from econ.outcomes.caseload import CaseloadFilter
from econ.outcomes.models import SavedCaseloadFilter
from tests.training.test_concurrency import _in_threads

CHOICE = saved_filters.CaseloadChoice(CaseloadFilter())


def test_the_same_name_saved_twice_at_once_is_one_filter(people):
    _, counselor = people.counselor()
    results = _in_threads(lambda: saved_filters.save_filter(counselor, "Late loans", CHOICE),
                          [(), (), ()])  # fmt: skip
    assert [r for r in results if isinstance(r, Exception)] == []
    assert SavedCaseloadFilter.select().count() == 1


def test_the_cap_holds_when_names_arrive_together(people):
    _, counselor = people.counselor()
    for i in range(saved_filters.SAVED_MAX - 1):
        saved_filters.save_filter(counselor, f"n{i}", CHOICE)
    results = _in_threads(lambda n: saved_filters.save_filter(counselor, n, CHOICE),
                          [(f"new {i}",) for i in range(4)])  # fmt: skip
    refused = [r for r in results if isinstance(r, Exception)]
    assert all(getattr(r, "code", None) == "TOO_MANY" for r in refused), refused
    assert SavedCaseloadFilter.select().count() == saved_filters.SAVED_MAX
