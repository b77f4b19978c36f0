"""A suspended employer's open referrals are withdrawn (issue 14, item 11), over HTTP.

Before: suspension only hid them; reactivating the company brought every open referral,
and her candidate profile, back to the employer.
"""

from __future__ import annotations

from econ.employers import services as employers
from tests.employers.conftest import consent, world  # noqa: F401  (the `world` fixture)
from tests.support.pages import nodes
from tests.support.people import PASSWORD

REFERRAL = """query($id: ID!) { referral(id: $id) { status reasonCode
  history { edges { node { toStatus } } } } }"""
STATUS = "employer { status }"


def test_suspending_an_employer_withdraws_her_open_referrals(api, people, world):  # noqa: F811
    her = people.participant(world.counselor)
    consent(world.counselor, her.id, world.employer.id)
    referral = employers.refer_participant(world.counselor, world.opportunity.id, her.id, "")
    employers.advance_referral(world.counselor, referral.id, "SHARED")
    employers.advance_referral(world.employer_actor, referral.id, "INTERVIEW")
    admin_user, _ = people.admin()
    admin = api.login(admin_user.email, PASSWORD)
    api.ok(
        "setEmployerStatus",
        {"employerId": str(world.employer.id), "status": "SUSPENDED", "reason": "complaint"},
        STATUS,
        admin,
    )
    coach = api.login(world.counselor_user.email, PASSWORD)
    seen = api.query(REFERRAL, {"id": str(referral.id)}, coach)["referral"]
    assert (seen["status"], seen["reasonCode"]) == ("WITHDRAWN", "EMPLOYER_SUSPENDED")
    assert nodes(seen["history"])[-1]["toStatus"] == "WITHDRAWN"
    # Reactivated, the company does not get her back.
    api.ok(
        "setEmployerStatus",
        {"employerId": str(world.employer.id), "status": "ACTIVE", "reason": "cleared"},
        STATUS,
        admin,
    )
    boss = api.login(world.employer_user.email, PASSWORD)
    body = api.post(
        "query($id: ID!) { referral(id: $id) { status reasonCode candidate { handle } } }",
        {"id": str(referral.id)},
        boss,
    )
    seen = body["data"]["referral"]
    assert seen is None or (seen["status"], seen["candidate"]) == ("WITHDRAWN", None)
    assert seen is None or seen["reasonCode"] == "NO_LONGER_AVAILABLE"
