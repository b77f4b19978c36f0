"""An employer never learns when she withdrew (issue 14, the rest of item 4), over HTTP.

Before: a referral she left (consent revoked, her refusal, her counselor's withdrawal)
read "no longer available" to the employer, but the stage still carried its time: the
minute she withdrew, e.g. an hour after the interview. Now the employer reads no time for
an end it did not make; its own steps keep theirs, and her counselor sees every time.
"""

from __future__ import annotations

from econ.employers import services as employers
from tests.employers.conftest import consent, world  # noqa: F401  (the `world` fixture)
from tests.support.pages import nodes
from tests.support.people import PASSWORD

HISTORY = """query($id: ID!) { referral(id: $id) { status reasonCode
  history { edges { node { toStatus reasonCode actorRole at } } } } }"""


def _ended_by_her_side(people, world, how: str):  # noqa: F811
    her = people.participant(world.counselor)
    profile = consent(world.counselor, her.id, world.employer.id)
    referral = employers.refer_participant(world.counselor, world.opportunity.id, her.id, "")
    employers.advance_referral(world.counselor, referral.id, "SHARED")
    employers.advance_referral(world.employer_actor, referral.id, "INTERVIEW")
    if how == "consent":
        employers.revoke_consent(world.counselor, profile.id)
    else:
        employers.advance_referral(
            world.counselor, referral.id, "WITHDRAWN", reason_code="WITHDRAWN_BY_COUNSELOR"
        )
    return referral


def _history(api, user, referral) -> list[dict]:
    token = api.login(user.email, PASSWORD)
    return nodes(api.query(HISTORY, {"id": str(referral.id)}, token)["referral"]["history"])


def test_the_employer_reads_no_time_for_her_withdrawal(api, people, world):  # noqa: F811
    for how in ("consent", "counselor"):
        referral = _ended_by_her_side(people, world, how)
        seen = _history(api, world.employer_user, referral)
        last = seen[-1]
        assert (last["reasonCode"], last["actorRole"], last["at"]) == (
            "NO_LONGER_AVAILABLE",
            "PROGRAMME",
            None,
        ), how
        assert all(stage["at"] for stage in seen[:-1])  # its own steps keep their time
        hers = _history(api, world.counselor_user, referral)
        assert hers[-1]["at"] is not None  # her counselor sees when


def test_the_employer_still_reads_when_it_refused(api, people, world):  # noqa: F811
    her = people.participant(world.counselor)
    consent(world.counselor, her.id, world.employer.id)
    referral = employers.refer_participant(world.counselor, world.opportunity.id, her.id, "")
    employers.advance_referral(world.counselor, referral.id, "SHARED")
    employers.advance_referral(
        world.employer_actor, referral.id, "DECLINED", reason_code="DECLINED_BY_EMPLOYER"
    )
    last = _history(api, world.employer_user, referral)[-1]
    assert last["reasonCode"] == "DECLINED_BY_EMPLOYER" and last["at"] is not None
