"""Enums, the skills helper and the batched relations the employer types share."""

from __future__ import annotations

from econ.employers import models as m
from econ.employers import services
from econ.paging import pages_by_key
from econ.participants.graphql import Skill
from econ.schema.enums import enum_of
from econ.schema.loaders import Relation

EmployerStatus = enum_of("EmployerStatus", m.EMPLOYER_STATUSES)
EmployerSize = enum_of("EmployerSize", m.EMPLOYER_SIZES)
OpportunityTypeEnum = enum_of("OpportunityType", m.OPPORTUNITY_TYPES)
OpportunityStatus = enum_of("OpportunityStatus", m.OPPORTUNITY_STATUSES)
PayPeriod = enum_of("PayPeriod", m.PAY_PERIODS)
ConsentScope = enum_of("ConsentScope", m.CONSENT_SCOPES)
ChannelType = enum_of("ChannelType", m.CHANNEL_TYPES)
ReferralStatus = enum_of("ReferralStatus", m.REFERRAL_STATUSES)
ReasonCode = enum_of("ReferralReasonCode", (*m.REASON_CODES, services.NEUTRAL_REASON))
PlacementEndReason = enum_of("PlacementEndReason", m.PLACEMENT_END_REASONS)
CheckpointStatus = enum_of("RetentionCheckpointStatus", m.CHECKPOINT_STATUSES)

SKILL = "econ.participants.graphql.Skill"


def _skills(items) -> list:
    return [Skill(key=s["key"], label=s["label"]) for s in items]


def _opportunities_by_id(ids: list[int]) -> dict:
    return {o.id: o for o in m.Opportunity.select().where(m.Opportunity.id.in_(ids))}


def _handles_by_referral(ids: list[int]) -> dict:
    query = m.Referral.select(m.Referral.id, m.Referral.handle).where(m.Referral.id.in_(ids))
    return {r.id: r.handle for r in query}


def _candidates(actor, referrals) -> dict:
    found = services.candidate_profiles(actor, referrals)
    return {r: found[r.id] for r in referrals}


EMPLOYER = Relation("employer by id", services.employers_by_id)
OPPORTUNITY = Relation("opportunity by id", _opportunities_by_id)
HANDLE = Relation("referral handle", _handles_by_referral)
STAGES = Relation("referral stages", services.stages_for)
# Keyed (her id, page size, items before the page): every profile of a referral list at once.
CREDENTIAL_PAGES = Relation(
    "a candidate's credentials",
    lambda keys: pages_by_key(keys, services.credential_pages),
    by_first=True,
)
# The profiles shown announce their credentials: hidden ones (None) are never read.
CANDIDATE = Relation(
    "referral candidate profile",
    _candidates,
    actor=True,
    announces=(CREDENTIAL_PAGES, lambda profile: profile.participant_id),
)
REFERRALS = Relation("opportunity referrals", services.referrals_for_opportunities, actor=True)
CHECKPOINTS = Relation("placement checkpoints", services.checkpoints_for)
