"""Candidates with their consent state, and referring only with PROFILE consent."""

from __future__ import annotations

import pytest

from econ.employers import candidates as rules
from econ.employers import services
from econ.employers.models import Referral
from econ.errors import DomainError
from tests.support.people import PASSWORD

SKILLS = [{"key": "food-hygiene", "label": "Food hygiene"}]


def _her(people, counselor, name, **fields):
    return people.participant(
        counselor, preferred_name=name, languages=["es"], skills=SKILLS, **fields
    )


def test_candidates_carry_the_score_parts_and_consent_state(world, people):
    ana = _her(people, world.counselor, "Ana")
    bea = _her(people, world.counselor, "Bea")
    services.give_consent(
        world.counselor, ana.id, world.employer.id, "PROFILE", participant_present=True
    )
    opportunity, ranked = rules.candidates(world.counselor, world.opportunity.id)
    assert opportunity.id == world.opportunity.id
    by_id = {c.participant_id: c for c in ranked}
    assert by_id[ana.id].profile_consent is True
    assert by_id[bea.id].profile_consent is False
    plain = {
        m.participant_id: m for m in services.suggested_candidates(world.counselor, opportunity)
    }
    assert by_id[bea.id].score == plain[bea.id].score  # the same ranking, consent added
    assert [c.participant_id for c in ranked] == list(plain)


def test_refer_without_consent_is_refused_and_leaves_no_referral(world, people):
    bea = _her(people, world.counselor, "Bea")
    with pytest.raises(DomainError) as refused:
        rules.refer_with_consent(world.counselor, world.opportunity.id, bea.id)
    assert (refused.value.code, refused.value.field) == ("CONSENT_REQUIRED", "consent")
    assert Referral.select().count() == 0
    services.give_consent(
        world.counselor, bea.id, world.employer.id, "PROFILE", participant_present=True
    )
    referral = rules.refer_with_consent(world.counselor, world.opportunity.id, bea.id)
    assert referral.status == "SHARED"  # the employer sees her anonymous profile at once


def test_out_of_reach_reads_not_found_not_no_consent(world, people):
    _, other = people.counselor()
    zoe = _her(people, other, "Zoe")
    for pid in (zoe.id, 99999999):
        with pytest.raises(DomainError) as refused:
            rules.refer_with_consent(world.counselor, world.opportunity.id, pid)
        assert refused.value.code == "NOT_FOUND"
    with pytest.raises(DomainError) as refused:
        rules.candidates(world.employer_actor, world.opportunity.id)
    assert refused.value.code in ("FORBIDDEN", "NOT_FOUND")


def test_over_the_api(api, world, people):
    bea = _her(people, world.counselor, "Bea")
    token = api.login(world.counselor_user.email, PASSWORD)
    query = """query($id: ID!) { opportunityCandidates(opportunityId: $id) {
        opportunity { title }
        candidates { participant { id } score requiredSkills profileConsent } } }"""
    found = api.query(query, {"id": str(world.opportunity.id)}, token)["opportunityCandidates"]
    mine = [c for c in found["candidates"] if c["participant"]["id"] == str(bea.id)]
    assert mine and mine[0]["profileConsent"] is False and 0 < mine[0]["score"] <= 1
    assert api.query(query, {"id": "999999"}, token)["opportunityCandidates"] is None
    refer = {"opportunityId": str(world.opportunity.id), "participantId": str(bea.id)}
    refused = api.mutate("referWithConsent", refer, "referral { id }", token)
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("consent", "CONSENT_REQUIRED")]
    api.ok(
        "giveConsent",
        {"participantId": str(bea.id), "employerId": str(world.employer.id), "scope": "PROFILE",
         "participantPresent": True},
        "consent { id }",
        token,
    )  # fmt: skip
    done = api.ok("referWithConsent", refer, "referral { status }", token)
    assert done["referral"]["status"] == "SHARED"
    employer_token = api.login(world.employer_user.email, PASSWORD)
    denied = api.post(query, {"id": str(world.opportunity.id)}, employer_token)
    assert denied.get("errors") and not (denied.get("data") or {}).get("opportunityCandidates")
