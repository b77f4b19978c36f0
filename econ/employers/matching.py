"""Explainable matching of a counselor's participants to one opportunity.

Hard filters first, then a score in [0, 1] made of four shown parts. The score sees only a
`MatchProfile` (skills, languages, work preferences): status history, safety notes, stipend,
loan and income data cannot influence it because they are never handed to it.

score = 0.50 · required-skill coverage + 0.15 · optional-skill coverage
      + 0.20 · language fit + 0.15 · schedule fit            (docs/employers.md)
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from econ.employers import validation as v
from econ.employers.models import Employer, Opportunity, Referral, WorkPreferences
from econ.participants import services as participants
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role

WEIGHTS: dict[str, Decimal] = {
    "required_skills": Decimal("0.50"),
    "optional_skills": Decimal("0.15"),
    "language_fit": Decimal("0.20"),
    "schedule_fit": Decimal("0.15"),
}
PLACES = Decimal("0.0001")
ONE = Decimal(1)


@dataclass(frozen=True)
class MatchProfile:
    """Everything the score may use about her, and nothing else."""

    participant_id: int
    skills: tuple[dict, ...]
    languages: frozenset[str]
    available_hours_per_week: int | None = None
    opportunity_types: tuple[str, ...] = ()
    needs_flexible_schedule: bool = False
    needs_childcare_friendly: bool = False
    minimum_pay: Decimal | None = None
    minimum_pay_period: str | None = None


@dataclass(frozen=True)
class Match:
    participant_id: int
    score: Decimal
    required_skills: Decimal
    optional_skills: Decimal
    language_fit: Decimal
    schedule_fit: Decimal
    matched_skills: tuple[dict, ...]
    missing_skills: tuple[dict, ...]


def profile_of(
    participant: participants.Participant, prefs: WorkPreferences | None
) -> MatchProfile:
    if prefs is None:
        return MatchProfile(
            participant.id, tuple(participant.skills), frozenset(participant.languages)
        )
    return MatchProfile(
        participant_id=participant.id,
        skills=tuple(participant.skills),
        languages=frozenset(participant.languages),
        available_hours_per_week=prefs.available_hours_per_week,
        opportunity_types=tuple(prefs.opportunity_types),
        needs_flexible_schedule=prefs.needs_flexible_schedule,
        needs_childcare_friendly=prefs.needs_childcare_friendly,
        minimum_pay=prefs.minimum_pay,
        minimum_pay_period=prefs.minimum_pay_period,
    )


def _pays_enough(opportunity: Opportunity, profile: MatchProfile) -> bool:
    if profile.minimum_pay is None:
        return True
    convert = (
        v.hourly_equivalent if profile.minimum_pay_period == "HOURLY" else v.monthly_equivalent
    )
    offered = convert(opportunity.pay_amount, opportunity.pay_period, opportunity.hours_per_week)
    return offered >= profile.minimum_pay


def excluded_by(opportunity: Opportunity, profile: MatchProfile) -> str | None:
    """The first hard filter she fails, or None."""
    if not _pays_enough(opportunity, profile):
        return "PAY_BELOW_HER_MINIMUM"
    if profile.opportunity_types and opportunity.type not in profile.opportunity_types:
        return "TYPE_NOT_WANTED"
    if profile.needs_flexible_schedule and not opportunity.flexible_schedule:
        return "NEEDS_FLEXIBLE_SCHEDULE"
    if profile.needs_childcare_friendly and not opportunity.childcare_friendly:
        return "NEEDS_CHILDCARE_FRIENDLY"
    if opportunity.languages and not profile.languages & set(opportunity.languages):
        return "NO_COMMON_LANGUAGE"
    return None


def _coverage(wanted: list[dict], have: set[str]) -> Decimal:
    if not wanted:
        return ONE
    return Decimal(sum(1 for s in wanted if s["key"] in have)) / Decimal(len(wanted))


def _round(value: Decimal) -> Decimal:
    return value.quantize(PLACES, ROUND_HALF_UP)


def score(opportunity: Opportunity, profile: MatchProfile) -> Match:
    have = {s["key"] for s in profile.skills}
    wanted = list(opportunity.required_skills) + list(opportunity.optional_skills)
    langs = list(opportunity.languages)
    parts = {
        "required_skills": _coverage(opportunity.required_skills, have),
        "optional_skills": _coverage(opportunity.optional_skills, have),
        "language_fit": (
            Decimal(len(profile.languages & set(langs))) / Decimal(len(langs)) if langs else ONE
        ),
        "schedule_fit": (
            ONE
            if profile.available_hours_per_week is None
            else min(ONE, Decimal(profile.available_hours_per_week) / opportunity.hours_per_week)
        ),
    }
    total = sum((WEIGHTS[k] * parts[k] for k in WEIGHTS), Decimal(0))
    return Match(
        participant_id=profile.participant_id,
        score=_round(total),
        matched_skills=tuple(s for s in wanted if s["key"] in have),
        missing_skills=tuple(s for s in wanted if s["key"] not in have),
        **{k: _round(val) for k, val in parts.items()},
    )


def rank(opportunity: Opportunity, profiles: list[MatchProfile]) -> list[Match]:
    """Those passing the hard filters, best first (ties: older participant record first)."""
    matches = [score(opportunity, p) for p in profiles if excluded_by(opportunity, p) is None]
    return sorted(matches, key=lambda m: (-m.score, m.participant_id))


def suggested_candidates(actor: Actor | None, opportunity: Opportunity) -> list[Match]:
    """Her ACTIVE participants not yet referred to this OPEN opportunity of an ACTIVE partner."""
    actor = require_role(actor, Role.COUNSELOR)
    employer = Employer.get_by_id(opportunity.employer_id)  # fresh: suspension acts at once
    if opportunity.status != "OPEN" or employer.status != "ACTIVE":
        return []
    referred = Referral.select(Referral.participant).where(Referral.opportunity == opportunity.id)
    people = participants.active_caseload(actor.user_id, excluding=referred)
    prefs = {
        p.participant_id: p
        for p in WorkPreferences.select().where(
            WorkPreferences.participant.in_([p.id for p in people])
        )
    }
    return rank(opportunity, [profile_of(p, prefs.get(p.id)) for p in people])
