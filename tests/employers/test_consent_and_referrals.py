"""Consent rules and the referral state machine at the service layer."""

from __future__ import annotations

import datetime as dt

import pytest

from econ.employers import services
from econ.employers.models import Consent, Referral, ReferralStage
from econ.errors import DomainError, NotFound, PermissionDenied
from econ.participants import services as participants
from econ.security.crypto import decrypt
from tests.employers.conftest import consent, make_employer, open_opportunity, shared_referral
from tests.support.plans import plan_with_milestone


def test_counselor_records_consent_only_with_her_present(people, world):
    her = people.participant(world.counselor)
    with pytest.raises(DomainError) as err:
        services.give_consent(world.counselor, her.id, world.employer.id, "PROFILE")
    assert (err.value.code, err.value.field) == ("PARTICIPANT_NOT_PRESENT", "participantPresent")
    assert Consent.select().count() == 0
    given = consent(world.counselor, her.id, world.employer.id)
    assert given.recorded_as == "COUNSELOR_WITH_PARTICIPANT_PRESENT"
    with pytest.raises(DomainError) as err:
        consent(world.counselor, her.id, world.employer.id)
    assert err.value.code == "ALREADY_GIVEN"


def test_she_gives_her_own_consent_and_the_channel_is_encrypted(people, world):
    her = people.participant(world.counselor)
    _, she = people.participant_login(world.counselor, her)
    given = services.give_consent(
        she,
        her.id,
        world.employer.id,
        "IDENTITY",
        channel_type="MESSAGING",
        channel_value="Signal +34 611 222 333",
    )
    assert given.recorded_as == "PARTICIPANT"
    stored = Consent.get_by_id(given.id).channel_value
    assert "611" not in stored  # ciphertext at rest
    assert decrypt(stored, f"consent.channel.{given.id}") == "Signal +34 611 222 333"
    with pytest.raises(DomainError) as err:
        services.give_consent(
            she, her.id, world.employer.id, "PROFILE", channel_type="PHONE", channel_value="1"
        )
    assert err.value.code == "CHANNEL_NOT_ALLOWED"


def test_nobody_else_gives_or_revokes_her_consent(people, world):
    her = people.participant(world.counselor)
    given = consent(world.counselor, her.id, world.employer.id)
    _, other_counselor = people.counselor()
    someone = people.participant(world.counselor, preferred_name="Joy")
    _, someone_login = people.participant_login(world.counselor, someone)
    for actor in (other_counselor, someone_login, world.employer_actor, world.admin):
        with pytest.raises(NotFound):
            services.give_consent(
                actor, her.id, world.employer.id, "IDENTITY", participant_present=True
            )
        with pytest.raises(NotFound):
            services.revoke_consent(actor, given.id)
    assert Consent.get_by_id(given.id).revoked_at is None


def test_consent_to_a_prospect_or_unknown_employer_is_not_found(people, world):
    prospect = make_employer(world.admin, name="Prospect", active=False)
    her = people.participant(world.counselor)
    for employer_id in (prospect.id, 9999):
        with pytest.raises(NotFound):
            consent(world.counselor, her.id, employer_id)


def test_shared_needs_current_profile_consent(people, world):
    her = people.participant(world.counselor)
    referral = services.refer_participant(world.counselor, world.opportunity.id, her.id)
    assert referral.status == "PROPOSED" and referral.handle.startswith("C-")
    with pytest.raises(DomainError) as err:
        services.advance_referral(world.counselor, referral.id, "SHARED")
    assert err.value.code == "CONSENT_REQUIRED"
    assert Referral.get_by_id(referral.id).status == "PROPOSED"
    # IDENTITY alone is not PROFILE consent, and consent for another employer does not count.
    other = make_employer(world.admin, name="Other")
    consent(world.counselor, her.id, world.employer.id, "IDENTITY")
    consent(world.counselor, her.id, other.id, "PROFILE")
    with pytest.raises(DomainError):
        services.advance_referral(world.counselor, referral.id, "SHARED")
    consent(world.counselor, her.id, world.employer.id, "PROFILE")
    shared = services.advance_referral(world.counselor, referral.id, "SHARED")
    assert shared.status == "SHARED" and shared.shared_at is not None


def test_revoking_profile_consent_withdraws_open_referrals_to_that_employer(people, world):
    her = people.participant(world.counselor)
    referral = shared_referral(world, her)
    second = open_opportunity(world.employer_actor, title="Second")
    proposed = services.refer_participant(world.counselor, second.id, her.id)
    other = make_employer(world.admin, name="Other")
    consent(world.counselor, her.id, other.id)
    elsewhere = services.refer_participant(
        world.counselor, open_opportunity(world.admin, other.id).id, her.id
    )
    _, she = people.participant_login(world.counselor, her)
    profile = services.current_consents([(her.id, world.employer.id)])[
        (her.id, world.employer.id, "PROFILE")
    ]
    services.revoke_consent(she, profile.id)
    for r in (referral, proposed):
        row = Referral.get_by_id(r.id)
        assert (row.status, row.reason_code) == ("WITHDRAWN", "CONSENT_REVOKED")
    assert Referral.get_by_id(elsewhere.id).status == "PROPOSED"
    last = (
        ReferralStage.select()
        .where(ReferralStage.referral == referral.id)
        .order_by(ReferralStage.id.desc())
        .first()
    )
    assert (last.from_status, last.to_status, last.actor_role) == (
        "SHARED",
        "WITHDRAWN",
        "PARTICIPANT",
    )
    with pytest.raises(DomainError) as err:
        services.revoke_consent(world.counselor, profile.id)
    assert err.value.code == "ALREADY_REVOKED"


LEGAL_PATH = ["SHARED", "INTERVIEW", "OFFERED", "HIRED"]
TODAY = dt.date.today()


def test_full_legal_path_and_history(people, world):
    her = people.participant(world.counselor)
    referral = shared_referral(world, her)
    services.advance_referral(world.employer_actor, referral.id, "INTERVIEW", note="Tue 10:00")
    services.advance_referral(world.employer_actor, referral.id, "OFFERED")
    hired = services.advance_referral(
        world.employer_actor, referral.id, "HIRED", placement={"start_date": TODAY.isoformat()}
    )
    assert hired.status == "HIRED"
    stages = list(
        ReferralStage.select()
        .where(ReferralStage.referral == referral.id)
        .order_by(ReferralStage.id)
    )
    assert [(s.from_status, s.to_status) for s in stages] == [
        (None, "PROPOSED"),
        ("PROPOSED", "SHARED"),
        ("SHARED", "INTERVIEW"),
        ("INTERVIEW", "OFFERED"),
        ("OFFERED", "HIRED"),
    ]
    assert [s.actor_role for s in stages] == [
        "COUNSELOR",
        "COUNSELOR",
        "EMPLOYER",
        "EMPLOYER",
        "EMPLOYER",
    ]
    placement = services.placement_of_referral(referral.id)
    assert placement.start_date == TODAY
    # Terms default to the opportunity's: 13.50 an hour, 20 hours.
    assert (str(placement.pay_amount), placement.hours_per_week) == ("13.50", 20)
    # One opening, one hire: the opportunity is FILLED.
    assert services.get_opportunity(world.counselor, world.opportunity.id).status == "FILLED"


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("PROPOSED", "INTERVIEW"),
        ("PROPOSED", "HIRED"),
        ("SHARED", "OFFERED"),
        ("SHARED", "PROPOSED"),
        ("INTERVIEW", "SHARED"),
        ("OFFERED", "INTERVIEW"),
    ],
)
def test_illegal_moves_are_rejected(people, world, start, target):
    her = people.participant(world.counselor)
    consent(world.counselor, her.id, world.employer.id)
    referral = services.refer_participant(world.counselor, world.opportunity.id, her.id)
    for status in LEGAL_PATH[: LEGAL_PATH.index(start) + 1] if start != "PROPOSED" else []:
        services.advance_referral(world.counselor, referral.id, status)
    with pytest.raises(DomainError) as err:
        services.advance_referral(world.counselor, referral.id, target)
    assert err.value.code == "INVALID_TRANSITION"
    assert Referral.get_by_id(referral.id).status == start


def test_ending_needs_a_fitting_reason_and_is_final(people, world):
    her = people.participant(world.counselor)
    referral = shared_referral(world, her)
    with pytest.raises(DomainError) as err:
        services.advance_referral(world.employer_actor, referral.id, "DECLINED")
    assert err.value.code == "REASON_REQUIRED"
    with pytest.raises(DomainError) as err:
        services.advance_referral(
            world.employer_actor, referral.id, "DECLINED", "DECLINED_BY_PARTICIPANT"
        )
    assert err.value.code == "INVALID_REASON"
    # System reasons cannot be chosen by hand.
    with pytest.raises(DomainError) as err:
        services.advance_referral(world.counselor, referral.id, "WITHDRAWN", "CONSENT_REVOKED")
    assert err.value.code == "INVALID_REASON"
    # An employer never withdraws; it declines.
    with pytest.raises(PermissionDenied):
        services.advance_referral(world.employer_actor, referral.id, "WITHDRAWN", "OTHER")
    ended = services.advance_referral(
        world.employer_actor, referral.id, "DECLINED", "DECLINED_BY_EMPLOYER", "no vacancy"
    )
    assert (ended.status, ended.reason_code) == ("DECLINED", "DECLINED_BY_EMPLOYER")
    with pytest.raises(DomainError) as err:
        services.advance_referral(world.counselor, referral.id, "INTERVIEW")
    assert err.value.code == "INVALID_TRANSITION"


def test_participant_declines_herself_but_cannot_advance(people, world):
    her = people.participant(world.counselor)
    referral = shared_referral(world, her)
    _, she = people.participant_login(world.counselor, her)
    with pytest.raises(PermissionDenied):
        services.advance_referral(she, referral.id, "INTERVIEW")
    ended = services.advance_referral(she, referral.id, "DECLINED", "DECLINED_BY_PARTICIPANT")
    assert ended.reason_code == "DECLINED_BY_PARTICIPANT"


def test_employer_cannot_share_or_see_a_proposed_referral(people, world):
    her = people.participant(world.counselor)
    consent(world.counselor, her.id, world.employer.id)
    referral = services.refer_participant(world.counselor, world.opportunity.id, her.id)
    with pytest.raises(NotFound):
        services.advance_referral(world.employer_actor, referral.id, "SHARED")


def test_referral_rules_on_who_and_what(people, world):
    her = people.participant(world.counselor)
    _, other_counselor = people.counselor()
    with pytest.raises(NotFound):
        services.refer_participant(other_counselor, world.opportunity.id, her.id)
    with pytest.raises(PermissionDenied):
        services.refer_participant(world.employer_actor, world.opportunity.id, her.id)
    services.refer_participant(world.counselor, world.opportunity.id, her.id)
    with pytest.raises(DomainError) as err:
        services.refer_participant(world.counselor, world.opportunity.id, her.id)
    assert err.value.code == "ALREADY_REFERRED"
    paused = people.participant(world.counselor, preferred_name="Joy")
    participants.set_status(world.counselor, paused.id, "PAUSED", "health leave")
    with pytest.raises(DomainError) as err:
        services.refer_participant(world.counselor, world.opportunity.id, paused.id)
    assert err.value.code == "PARTICIPANT_NOT_ACTIVE"
    assert Referral.select().count() == 1


def test_suspended_employer_receives_no_referrals(people, world):
    her = people.participant(world.counselor)
    consent(world.counselor, her.id, world.employer.id)
    referral = services.refer_participant(world.counselor, world.opportunity.id, her.id)
    services.set_employer_status(world.admin, world.employer.id, "SUSPENDED")
    withdrawn = Referral.get_by_id(referral.id)  # issue 14, item 11: ended at suspension
    assert (withdrawn.status, withdrawn.reason_code) == ("WITHDRAWN", "EMPLOYER_SUSPENDED")
    with pytest.raises(DomainError) as err:
        services.advance_referral(world.counselor, referral.id, "SHARED")
    assert err.value.code == "INVALID_TRANSITION"
    other = people.participant(world.counselor, preferred_name="Joy")
    with pytest.raises(DomainError) as err:
        services.refer_participant(world.counselor, world.opportunity.id, other.id)
    assert err.value.code == "EMPLOYER_NOT_ACTIVE"


def test_closing_the_opportunity_ends_open_referrals(people, world):
    her = people.participant(world.counselor)
    referral = shared_referral(world, her)
    services.close_opportunity(world.employer_actor, world.opportunity.id)
    row = Referral.get_by_id(referral.id)
    assert (row.status, row.reason_code) == ("WITHDRAWN", "OPPORTUNITY_CLOSED")


def test_hiring_completes_linked_milestones(people, world):
    her = people.participant(world.counselor)
    milestone = plan_with_milestone(world.counselor, her.id, "First job", "EMPLOYMENT")
    referral = shared_referral(world, her)
    participants.link_milestone(world.counselor, milestone.id, "referral", referral.id)
    for status in ("INTERVIEW", "OFFERED", "HIRED"):
        services.advance_referral(world.counselor, referral.id, status)
    assert type(milestone).get_by_id(milestone.id).status == "DONE"


def test_handles_are_random_and_unlinkable(people, world):
    her = people.participant(world.counselor)
    other = make_employer(world.admin, name="Other")
    first = shared_referral(world, her)
    consent(world.counselor, her.id, other.id)
    second = services.refer_participant(
        world.counselor, open_opportunity(world.admin, other.id).id, her.id
    )
    handles = {first.handle, second.handle}
    assert len(handles) == 2
    for handle in handles:
        assert len(handle) == 10 and handle.startswith("C-")
        # Nothing of her code (P-XXXXXX) is in a handle.
        assert her.code[2:] not in handle and str(her.id) != handle[2:]
