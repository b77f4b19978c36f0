"""What employers and ADMINs can never reach (issue 14, item 4), over HTTP.

Before: an employer read a retention checkpoint's free-text evidence written by the
counselor (a phone number and a street), and learnt from a referral's reason code that
she withdrew her consent; an ADMIN read placements with pay and evidence, referral notes,
and per-participant ledger balances.
"""

from __future__ import annotations

import datetime as dt

from econ.employers import services as employers
from tests.employers.conftest import consent, world  # noqa: F401  (the `world` fixture)
from tests.support.clock import on_day
from tests.support.pages import nodes
from tests.support.people import PASSWORD

TODAY = dt.date.today()
PLACEMENT = """query($id: ID!) { placement(id: $id) { id pay { amount }
  retentionCheckpoints { days status evidence } } }"""
REFERRAL = """query($id: ID!) { referral(id: $id) { status reasonCode note
  history { edges { node { toStatus reasonCode actorRole } } } } }"""
AS_EMPLOYER = REFERRAL.replace(" note", "")  # the note is refused to employers outright


def _hired_long_ago(people, world):  # noqa: F811
    with on_day(TODAY - dt.timedelta(days=100)):
        her = people.participant(world.counselor)
        consent(world.counselor, her.id, world.employer.id)
        referral = employers.refer_participant(
            world.counselor, world.opportunity.id, her.id, "she fled an abusive partner"
        )
        for status in ("SHARED", "INTERVIEW", "OFFERED", "HIRED"):
            employers.advance_referral(world.counselor, referral.id, status)
    return her, referral, employers.placement_of_referral(referral.id)


def test_an_employer_reads_only_the_evidence_its_own_staff_wrote(api, people, world):  # noqa: F811
    _, _, placement = _hired_long_ago(people, world)
    checkpoints = {c.days: c for c in employers.checkpoints_for([placement.id])[placement.id]}
    employers.confirm_retention(
        world.counselor, checkpoints[30].id, "CONFIRMED_EMPLOYED",
        evidence="called her on +34 600 123 456 at 12 Canary Street",
    )  # fmt: skip
    employers.confirm_retention(
        world.employer_actor, checkpoints[90].id, "CONFIRMED_EMPLOYED", evidence="payslip 03"
    )
    boss = api.login(world.employer_user.email, PASSWORD)
    seen = api.query(PLACEMENT, {"id": str(placement.id)}, boss)["placement"]
    evidence = {c["days"]: c["evidence"] for c in seen["retentionCheckpoints"]}
    assert evidence == {30: "", 90: "payslip 03", 180: ""}
    coach = api.login(world.counselor_user.email, PASSWORD)
    hers = api.query(PLACEMENT, {"id": str(placement.id)}, coach)["placement"]
    assert "Canary Street" in hers["retentionCheckpoints"][0]["evidence"]


def test_an_employer_never_learns_that_she_withdrew_her_consent(api, people, world):  # noqa: F811
    her = people.participant(world.counselor)
    profile = consent(world.counselor, her.id, world.employer.id)
    referral = employers.refer_participant(world.counselor, world.opportunity.id, her.id, "")
    employers.advance_referral(world.counselor, referral.id, "SHARED")
    employers.advance_referral(world.employer_actor, referral.id, "INTERVIEW")
    employers.revoke_consent(world.counselor, profile.id)
    coach = api.login(world.counselor_user.email, PASSWORD)
    hers = api.query(REFERRAL, {"id": str(referral.id)}, coach)["referral"]
    assert hers["reasonCode"] == "CONSENT_REVOKED"  # her counselor knows why
    boss = api.login(world.employer_user.email, PASSWORD)
    body = api.post(AS_EMPLOYER, {"id": str(referral.id)}, boss)
    seen = body["data"]["referral"]  # the employer still sees the ended referral: neutrally
    assert seen["reasonCode"] == "NO_LONGER_AVAILABLE"
    last = nodes(seen["history"])[-1]
    assert (last["reasonCode"], last["actorRole"]) == ("NO_LONGER_AVAILABLE", "PROGRAMME")
    assert "CONSENT_REVOKED" not in str(body) and "PARTICIPANT" not in str(body)


def test_an_employer_still_reads_its_own_refusal(api, people, world):  # noqa: F811
    her = people.participant(world.counselor)
    consent(world.counselor, her.id, world.employer.id)
    referral = employers.refer_participant(world.counselor, world.opportunity.id, her.id, "")
    employers.advance_referral(world.counselor, referral.id, "SHARED")
    employers.advance_referral(
        world.employer_actor, referral.id, "DECLINED", reason_code="DECLINED_BY_EMPLOYER"
    )
    boss = api.login(world.employer_user.email, PASSWORD)
    seen = api.query(AS_EMPLOYER, {"id": str(referral.id)}, boss)["referral"]
    assert seen["reasonCode"] == "DECLINED_BY_EMPLOYER"


def test_an_admin_reads_no_placement_referral_or_balance_of_hers(api, people, world):  # noqa: F811
    her, referral, placement = _hired_long_ago(people, world)
    admin_user, _ = people.admin()
    admin = api.login(admin_user.email, PASSWORD)
    for query, record in ((PLACEMENT, placement), (REFERRAL, referral)):
        body = api.post(query, {"id": str(record.id)}, admin)
        assert not any((body.get("data") or {}).values()), body
        assert "abusive" not in str(body) and "amount" not in str(body)
    opening = api.query(
        "query($id: ID!) { opportunity(id: $id) { title referrals { totalCount } } }",
        {"id": str(world.opportunity.id)},
        admin,
    )["opportunity"]
    assert opening["referrals"] == {"totalCount": 0}
    balance = 'query($p: ID) { ledgerBalance(account: "stipend_payable", participantId: $p) { balance { amount } } }'  # noqa: E501
    hers = api.post(balance, {"p": str(her.id)}, admin)
    assert hers["data"]["ledgerBalance"] is None
    assert hers["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    programme = api.query(balance, {"p": None}, admin)["ledgerBalance"]
    assert programme["balance"]["amount"] == "0.00"
