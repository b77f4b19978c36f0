"""Matching: hand-computed scores and parts, hard filters, and what can never move a score.

Weights (econ/employers/matching.py, docs/employers.md): 0.50 required skills,
0.15 optional skills, 0.20 language fit, 0.15 schedule fit.
Default opportunity (conftest): required food-hygiene + customer-service, optional
cash-handling, languages es + en, 20 h/week, 13.50/h, flexible, childcare-friendly.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from econ.employers import services
from econ.employers.matching import MatchProfile, excluded_by
from econ.participants import services as participants
from econ.stipends.services import grant_award
from tests.employers.conftest import open_opportunity

ALL_SKILLS = [{"key": "food-hygiene"}, {"key": "customer-service"}, {"key": "cash-handling"}]


def _person(people, world, name, skills, languages, **prefs):
    her = people.participant(
        world.counselor, preferred_name=name, skills=skills, languages=languages
    )
    if prefs:
        services.set_work_preferences(world.counselor, her.id, **prefs)
    return her


def _suggest(world, opportunity=None):
    return services.suggested_candidates(world.counselor, opportunity or world.opportunity)


def test_scores_and_parts_for_hand_computed_cases(people, world):
    full = _person(people, world, "A", ALL_SKILLS, ["es", "en"])
    part = _person(
        people, world, "B", [{"key": "food-hygiene"}], ["es"], available_hours_per_week=10
    )
    mixed = _person(
        people,
        world,
        "C",
        [{"key": "customer-service"}, {"key": "cash-handling"}],
        ["en", "fr"],
        available_hours_per_week=30,
    )
    result = {m.participant_id: m for m in _suggest(world)}
    # A: every part 1 → 0.50 + 0.15 + 0.20 + 0.15 = 1
    assert result[full.id].score == Decimal("1.0000")
    # B: required 1/2, optional 0/1, languages 1/2, schedule 10/20
    #    0.50·0.5 + 0.15·0 + 0.20·0.5 + 0.15·0.5 = 0.25 + 0 + 0.10 + 0.075 = 0.425
    b = result[part.id]
    assert (b.required_skills, b.optional_skills, b.language_fit, b.schedule_fit) == (
        Decimal("0.5000"),
        Decimal("0.0000"),
        Decimal("0.5000"),
        Decimal("0.5000"),
    )
    assert b.score == Decimal("0.4250")
    assert [s["key"] for s in b.matched_skills] == ["food-hygiene"]
    assert [s["key"] for s in b.missing_skills] == ["customer-service", "cash-handling"]
    # C: required 1/2, optional 1/1, languages 1/2 (en of es+en), schedule 30 ≥ 20 → 1
    #    0.25 + 0.15 + 0.10 + 0.15 = 0.65
    assert result[mixed.id].score == Decimal("0.6500")
    # Ranked best first.
    assert [m.participant_id for m in _suggest(world)] == [full.id, mixed.id, part.id]


def test_thirds_round_to_four_places(people, world):
    opportunity = open_opportunity(  # staff may name keys the vocabulary lacks
        world.counselor,
        world.employer.id,
        required_skills=[{"key": "a"}, {"key": "b"}, {"key": "c"}],
        optional_skills=[],
        languages=[],
    )
    her = _person(people, world, "T", [{"key": "a"}], ["ro"])
    (match,) = _suggest(world, opportunity)
    # 0.50·1/3 + 0.15·1 (no optional skills asked) + 0.20·1 (no language asked) + 0.15·1
    # = 0.1666… + 0.5 = 0.6666… → 0.6667
    assert match.participant_id == her.id
    assert (match.required_skills, match.score) == (Decimal("0.3333"), Decimal("0.6667"))


def test_hard_filters(people, world):
    kept = _person(
        people, world, "Kept", ALL_SKILLS, ["es"], minimum_pay="13.50", minimum_pay_period="HOURLY"
    )  # equal to the offer: kept
    _person(people, world, "NoLanguage", ALL_SKILLS, ["fr"])
    # 13.50 × 20 × 52/12 = 1170.00 a month < 1200.00
    _person(
        people,
        world,
        "PaidMore",
        ALL_SKILLS,
        ["es"],
        minimum_pay="1200.00",
        minimum_pay_period="MONTHLY",
    )
    _person(people, world, "FullTimeOnly", ALL_SKILLS, ["es"], opportunity_types=["FULL_TIME"])
    paused = _person(people, world, "Paused", ALL_SKILLS, ["es"])
    participants.set_status(world.counselor, paused.id, "PAUSED", "leave")
    referred = _person(people, world, "Referred", ALL_SKILLS, ["es"])
    services.refer_participant(world.counselor, world.opportunity.id, referred.id)
    _, other_counselor = people.counselor()
    people.participant(other_counselor, preferred_name="NotHers", skills=ALL_SKILLS)
    assert [m.participant_id for m in _suggest(world)] == [kept.id]


@pytest.mark.parametrize(
    ("prefs", "flexible", "childcare", "reason"),
    [
        ({"needs_flexible_schedule": True}, False, True, "NEEDS_FLEXIBLE_SCHEDULE"),
        ({"needs_childcare_friendly": True}, True, False, "NEEDS_CHILDCARE_FRIENDLY"),
        ({"needs_childcare_friendly": True}, True, True, None),
    ],
)
def test_schedule_and_childcare_needs_are_hard_filters(world, prefs, flexible, childcare, reason):
    opportunity = open_opportunity(
        world.employer_actor, flexible_schedule=flexible, childcare_friendly=childcare
    )
    profile = MatchProfile(1, (), frozenset({"es"}), **prefs)
    assert excluded_by(opportunity, profile) == reason


def test_only_for_an_open_opportunity_of_an_active_employer(people, world):
    _person(people, world, "A", ALL_SKILLS, ["es"])
    assert len(_suggest(world)) == 1
    services.set_employer_status(world.admin, world.employer.id, "SUSPENDED")
    assert _suggest(world) == []


def test_the_score_sees_only_skills_languages_and_preferences():
    allowed = {
        "participant_id",
        "skills",
        "languages",
        "available_hours_per_week",
        "opportunity_types",
        "needs_flexible_schedule",
        "needs_childcare_friendly",
        "minimum_pay",
        "minimum_pay_period",
    }
    assert {f.name for f in dataclasses.fields(MatchProfile)} == allowed


def test_safety_notes_history_stipend_and_income_change_no_score(people, world):
    her = _person(
        people, world, "A", [{"key": "food-hygiene"}], ["es"], available_hours_per_week=15
    )
    other = _person(people, world, "B", ALL_SKILLS, ["en"])
    before = [(m.participant_id, m.score, m.matched_skills) for m in _suggest(world)]
    participants.update_participant(
        world.counselor, her.id, safety_notes="Trafficker seen near the bus station"
    )
    participants.set_status(world.counselor, her.id, "PAUSED", "safety")
    participants.set_status(world.counselor, her.id, "ACTIVE", "back")
    grant_award(her.id, "MANUAL", "manual", "x1", amount=Decimal("500.00"))
    record = participants.record_income(
        world.counselor, her.id, month="2026-01", source="EMPLOYMENT", amount="2500.00"
    )
    participants.verify_income(world.counselor, record.id, record.version)
    grant_award(other.id, "LOAN_REPAID", "loan", "7")
    after = [(m.participant_id, m.score, m.matched_skills) for m in _suggest(world)]
    assert after == before


SKILL_KEYS = ["a", "b", "c", "d", "e"]
LANGS = ["es", "en", "fr", "ro"]


@settings(max_examples=150, deadline=None)
@given(
    required=st.lists(st.sampled_from(SKILL_KEYS), unique=True, max_size=4),
    optional=st.lists(st.sampled_from(SKILL_KEYS), unique=True, max_size=3),
    job_langs=st.lists(st.sampled_from(LANGS), unique=True, max_size=3),
    hours=st.integers(1, 60),
    have=st.lists(st.sampled_from(SKILL_KEYS), unique=True, max_size=5),
    her_langs=st.lists(st.sampled_from(LANGS), unique=True, max_size=4),
    available=st.one_of(st.none(), st.integers(1, 60)),
)
def test_score_is_in_unit_range_and_is_the_weighted_sum(
    required, optional, job_langs, hours, have, her_langs, available
):
    from econ.employers.matching import WEIGHTS, score
    from econ.employers.models import Opportunity

    opportunity = Opportunity(
        required_skills=[{"key": k, "label": k} for k in required],
        optional_skills=[{"key": k, "label": k} for k in optional if k not in required],
        languages=job_langs,
        hours_per_week=hours,
    )
    profile = MatchProfile(
        1,
        tuple({"key": k, "label": k} for k in have),
        frozenset(her_langs),
        available_hours_per_week=available,
    )
    match = score(opportunity, profile)
    assert Decimal(0) <= match.score <= Decimal(1)
    parts = (match.required_skills, match.optional_skills, match.language_fit, match.schedule_fit)
    assert all(Decimal(0) <= p <= Decimal(1) for p in parts)
    weighted = sum(w * p for w, p in zip(WEIGHTS.values(), parts, strict=True))
    # Parts are rounded to 4 places before this sum, the total is not: at most 4 × 0.00005 apart.
    assert abs(weighted - match.score) <= Decimal("0.0002")
    assert {s["key"] for s in match.matched_skills} | {s["key"] for s in match.missing_skills} == (
        set(required) | set(optional)
    )
