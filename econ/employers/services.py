"""Partner employers: the one module other domains import. Rules live in the modules below:
companies, opportunities, preferences, matching, consents, referrals, profiles, placements."""

from __future__ import annotations

from econ.employers.companies import (
    active_own_employer,
    assert_employer_exists,
    create_employer,
    employers_by_id,
    get_employer,
    own_employer,
    set_employer_status,
    update_employer,
    visible_employers,
)
from econ.employers.consents import (
    channel_value,
    consents_of,
    current_consents,
    give_consent,
    revoke_consent,
)
from econ.employers.matching import WEIGHTS, Match, MatchProfile, rank, score, suggested_candidates
from econ.employers.opportunities import (
    close_expired,
    close_opportunity,
    create_opportunity,
    get_opportunity,
    publish_opportunity,
    update_opportunity,
    visible_opportunities,
)
from econ.employers.placements import (
    checkpoints_for,
    confirm_retention,
    end_placement,
    get_placement,
    offer_income_records,
    placement_of_referral,
    placements_of,
    visible_placements,
)
from econ.employers.preferences import set_work_preferences, work_preferences
from econ.employers.profiles import CandidateProfile, candidate_profiles
from econ.employers.reads import (
    placed_participant_ids,
    placements_of_participants,
    referrals_of_participants,
)
from econ.employers.referrals import (
    advance_referral,
    get_referral,
    refer_participant,
    referrals_for_opportunities,
    referrals_of,
    stages_for,
    visible_referrals,
)

__all__ = [
    "WEIGHTS",
    "CandidateProfile",
    "Match",
    "MatchProfile",
    "active_own_employer",
    "advance_referral",
    "assert_employer_exists",
    "candidate_profiles",
    "channel_value",
    "checkpoints_for",
    "close_expired",
    "close_opportunity",
    "confirm_retention",
    "consents_of",
    "create_employer",
    "create_opportunity",
    "current_consents",
    "employers_by_id",
    "end_placement",
    "get_employer",
    "get_opportunity",
    "get_placement",
    "get_referral",
    "give_consent",
    "offer_income_records",
    "own_employer",
    "placed_participant_ids",
    "placement_of_referral",
    "placements_of",
    "placements_of_participants",
    "publish_opportunity",
    "rank",
    "refer_participant",
    "referrals_for_opportunities",
    "referrals_of",
    "referrals_of_participants",
    "revoke_consent",
    "score",
    "set_employer_status",
    "set_work_preferences",
    "stages_for",
    "suggested_candidates",
    "update_employer",
    "update_opportunity",
    "visible_employers",
    "visible_opportunities",
    "visible_placements",
    "visible_referrals",
    "work_preferences",
]
