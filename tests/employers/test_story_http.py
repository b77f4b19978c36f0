"""End to end over HTTP: post, match, consent, refer, interview, identity, hire, retention."""

from __future__ import annotations

import datetime as dt

from econ.employers.models import RetentionCheckpoint
from econ.stipends.models import IncentiveAward
from tests.support.clock import on_day
from tests.support.grants import grant_login
from tests.support.pages import nodes
from tests.support.people import PASSWORD


def test_placement_story(api, people):
    admin_user, _ = people.admin()
    counselor_user, counselor = people.counselor()
    admin = api.login(admin_user.email, PASSWORD)
    coach = api.login(counselor_user.email, PASSWORD)

    # ADMIN registers the partner, activates it and creates its staff login.
    employer = api.ok(
        "createEmployer",
        {
            "name": "Bright Bakery Co-op",
            "sector": "Food",
            "size": "SMALL",
            "agreementSignedOn": "2026-01-10",
            "agreementCommitments": "Mentor for each hire",
        },
        "employer { id status }",
        admin,
    )["employer"]
    assert employer["status"] == "PROSPECT"
    api.ok(
        "setEmployerStatus",
        {"employerId": employer["id"], "status": "ACTIVE"},
        "employer { status }",
        admin,
    )
    checker_user, _ = people.admin()
    grant_login(
        api,
        admin,
        api.login(checker_user.email, PASSWORD),
        PASSWORD,
        email="hr@bakery.test",
        role="EMPLOYER",
        employerId=employer["id"],
    )
    boss = api.login("hr@bakery.test", PASSWORD)

    # ADMIN keeps the skills vocabulary; the employer chooses from it, never types a key.
    term = {
        "key": "food-hygiene",
        "labelEn": "Food hygiene",
        "labelEs": "Higiene alimentaria",
        "labelFr": "Hygiène alimentaire",
    }
    refused = api.mutate("saveSkillTerm", term, "skillTerm { key }", boss)
    assert refused["skillTerm"] is None and refused["errors"][0]["code"] == "FORBIDDEN"
    api.ok("saveSkillTerm", term, "skillTerm { key labelEs active }", admin)
    unknown = api.mutate(
        "createOpportunity",
        {
            "title": "Baker",
            "type": "PART_TIME",
            "payAmount": "13.50",
            "payPeriod": "HOURLY",
            "hoursPerWeek": 20,
            "requiredSkills": [{"key": "guessed-key"}],
        },
        "opportunity { id }",
        boss,
    )
    assert unknown["errors"][0]["code"] == "UNKNOWN_SKILL"

    # The employer posts an opportunity.
    opportunity = api.ok(
        "createOpportunity",
        {
            "title": "Bakery assistant",
            "type": "PART_TIME",
            "payAmount": "13.50",
            "payPeriod": "HOURLY",
            "hoursPerWeek": 20,
            "flexibleSchedule": True,
            "location": "Centro",
            "requiredSkills": [{"key": "food-hygiene", "label": "Food hygiene"}],
            "languages": ["es"],
            "openings": 1,
        },
        "opportunity { id status pay { amount currency } }",
        boss,
    )["opportunity"]
    assert opportunity["status"] == "DRAFT"
    assert opportunity["pay"] == {"amount": "13.50", "currency": "EUR"}
    api.ok(
        "publishOpportunity", {"opportunityId": opportunity["id"]}, "opportunity { status }", boss
    )

    # The counselor sees her participant among the suggested candidates.
    her = people.participant(
        counselor,
        preferred_name="Maria",
        languages=["es"],
        skills=[{"key": "food-hygiene", "label": "Food hygiene"}],
    )
    her_user, _ = people.participant_login(counselor, her)
    she = api.login(her_user.email, PASSWORD)
    suggested = api.query(
        "query($id: ID!) { opportunity(id: $id) { suggestedCandidates { participant { id } score "
        "requiredSkills languageFit matchedSkills { key } } } }",
        {"id": opportunity["id"]},
        coach,
    )["opportunity"]["suggestedCandidates"]
    # Every part is 1 (no optional skills asked, no hours stated): score 1.0
    assert suggested == [
        {
            "participant": {"id": str(her.id)},
            "score": 1.0,
            "requiredSkills": 1.0,
            "languageFit": 1.0,
            "matchedSkills": [{"key": "food-hygiene"}],
        }
    ]

    # She is present; the counselor records PROFILE consent and refers her.
    api.ok(
        "giveConsent",
        {
            "participantId": her.id,
            "employerId": employer["id"],
            "scope": "PROFILE",
            "participantPresent": True,
        },
        "consent { recordedAs }",
        coach,
    )
    referral = api.ok(
        "referParticipant",
        {"opportunityId": opportunity["id"], "participantId": her.id, "note": "motivated"},
        "referral { id handle status }",
        coach,
    )["referral"]
    api.ok(
        "advanceReferral",
        {"referralId": referral["id"], "status": "SHARED"},
        "referral { status }",
        coach,
    )

    # The employer sees the anonymous profile and moves her to interview.
    seen = api.query(
        "query($id: ID!) { opportunity(id: $id) { referrals { edges { node { id handle status "
        "candidate { handle skills { key } preferredName } } } } } }",
        {"id": opportunity["id"]},
        boss,
    )["opportunity"]["referrals"]
    seen = nodes(seen)
    assert seen == [
        {
            "id": referral["id"],
            "handle": referral["handle"],
            "status": "SHARED",
            "candidate": {
                "handle": referral["handle"],
                "skills": [{"key": "food-hygiene"}],
                "preferredName": None,
            },
        }
    ]
    api.ok(
        "advanceReferral",
        {"referralId": referral["id"], "status": "INTERVIEW", "note": "Tuesday 10:00"},
        "referral { status }",
        boss,
    )

    # She gives IDENTITY consent herself with the channel she chose; the employer sees her name.
    api.ok(
        "giveConsent",
        {
            "participantId": her.id,
            "employerId": employer["id"],
            "scope": "IDENTITY",
            "channelType": "PHONE",
            "channelValue": "+34 611 000 111",
        },
        "consent { id }",
        she,
    )
    candidate = api.query(
        "query($id: ID!) { referral(id: $id) { candidate { preferredName contactChannel "
        "{ type value } } } }",
        {"id": referral["id"]},
        boss,
    )["referral"]["candidate"]
    assert candidate == {
        "preferredName": "Maria",
        "contactChannel": {"type": "PHONE", "value": "+34 611 000 111"},
    }

    # The employer offers and hires; the placement has three checkpoints.
    api.ok(
        "advanceReferral",
        {"referralId": referral["id"], "status": "OFFERED"},
        "referral { status }",
        boss,
    )
    start = dt.date.today()  # recorded on its start day: hires are never back-dated
    hired = api.ok(
        "advanceReferral",
        {
            "referralId": referral["id"],
            "status": "HIRED",
            "placement": {"startDate": start.isoformat()},
        },
        "referral { status history { edges { node { toStatus actorRole } } } } "
        "placement { id handle startDate retentionCheckpoints { id days status } }",
        boss,
    )
    assert [h["toStatus"] for h in nodes(hired["referral"]["history"])] == [
        "PROPOSED",
        "SHARED",
        "INTERVIEW",
        "OFFERED",
        "HIRED",
    ]
    placement = hired["placement"]
    assert placement["handle"] == referral["handle"]
    checkpoints = {c["days"]: c["id"] for c in placement["retentionCheckpoints"]}
    assert sorted(checkpoints) == [30, 90, 180]
    status = api.query(
        "query($id: ID!) { opportunity(id: $id) { status } }", {"id": opportunity["id"]}, coach
    )
    assert status == {"opportunity": {"status": "FILLED"}}

    # Not before the 90 days are up: the checkpoints count from the day of the hire.
    early = api.mutate(
        "confirmRetention",
        {"checkpointId": checkpoints[90], "outcome": "CONFIRMED_EMPLOYED"},
        "checkpoint { status }",
        boss,
    )
    assert early["errors"][0]["code"] == "NOT_YET_DUE"

    # 91 days later the counselor confirms 30- and 90-day retention; one award is created.
    with on_day(start + dt.timedelta(days=91)):
        coach = api.login(counselor_user.email, PASSWORD)
        boss = api.login("hr@bakery.test", PASSWORD)
        for days in (30, 90):
            api.ok(
                "confirmRetention",
                {
                    "checkpointId": checkpoints[days],
                    "outcome": "CONFIRMED_EMPLOYED",
                    "evidence": "payslip",
                },
                "checkpoint { status }",
                coach,
            )
        again = api.mutate(
            "confirmRetention",
            {"checkpointId": checkpoints[90], "outcome": "CONFIRMED_EMPLOYED"},
            "checkpoint { status }",
            boss,
        )
    assert again["errors"][0]["code"] == "ALREADY_CONFIRMED"
    assert IncentiveAward.select().where(IncentiveAward.rule == "RETAINED_90_DAYS").count() == 1
    statuses = {c.days: c.status for c in RetentionCheckpoint.select()}
    assert statuses == {30: "CONFIRMED_EMPLOYED", 90: "CONFIRMED_EMPLOYED", 180: "DUE"}

    # She sees her consents, referral and placement.
    mine = api.query(
        "{ me { participant { consents { edges { node { scope recordedAs current } } } "
        "referrals { edges { node { status } } } "
        "placements { edges { node { retentionCheckpoints { days status } } } } } } }",
        None,
        she,
    )["me"]["participant"]
    assert sorted((c["scope"], c["recordedAs"]) for c in nodes(mine["consents"])) == [
        ("IDENTITY", "PARTICIPANT"),
        ("PROFILE", "COUNSELOR_WITH_PARTICIPANT_PRESENT"),
    ]
    assert nodes(mine["referrals"]) == [{"status": "HIRED"}]
    assert [c["status"] for c in nodes(mine["placements"])[0]["retentionCheckpoints"]] == [
        "CONFIRMED_EMPLOYED",
        "CONFIRMED_EMPLOYED",
        "DUE",
    ]
