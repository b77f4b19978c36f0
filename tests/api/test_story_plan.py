"""A counselor's day with one participant, end to end over HTTP."""

from __future__ import annotations

from tests.support.grants import grant_login
from tests.support.pages import nodes
from tests.support.people import PASSWORD

PLAN_FIELDS = "plan { revision agreedAt pathways targetMonthlyIncome { amount currency } milestones { id title status } revisions { edges { node { revision } } } }"  # noqa: E501


def test_intake_plan_income_and_independence(api, people):
    counselor_user, _ = people.counselor()
    c = api.login(counselor_user.email, PASSWORD)
    created = api.ok(
        "createParticipant",
        {
            "preferredName": "Lina",
            "legalName": "Lina Canary",
            "languages": ["fr", "en"],
            "preferredLanguage": "fr",
            "phone": "+33 6 00 00 00 01",
        },
        "participant { id code counselor { email } status }",
        c,
    )["participant"]
    pid = created["id"]
    assert created["code"].startswith("P-") and len(created["code"]) == 8
    assert created["counselor"]["email"] == counselor_user.email

    # Her counselor asks for her login, an ADMIN approves, she sets her own password.
    admin_user, _ = people.admin()
    admin = api.login(admin_user.email, PASSWORD)
    grant_login(
        api, c, admin, "lina-password-1", email="lina@test.econ", role="PARTICIPANT",
        participantId=pid,
    )  # fmt: skip
    her = api.login("lina@test.econ", "lina-password-1")
    assert api.query("{ me { role } }", None, her)["me"]["role"] == "PARTICIPANT"

    plan = api.ok(
        "revisePlan",
        {
            "participantId": pid,
            "pathways": ["EMPLOYMENT"],
            "targetMonthlyIncome": "1300.00",
            "milestones": [
                {"title": "Open a bank account", "category": "BANKING", "dueDate": "2027-01-15"}
            ],
        },
        PLAN_FIELDS,
        c,
    )["plan"]
    assert plan["revision"] == 1 and plan["agreedAt"] is None
    assert plan["targetMonthlyIncome"] == {"amount": "1300.00", "currency": "EUR"}
    agreed = api.ok("agreeToPlan", {"participantId": pid}, PLAN_FIELDS, her)["plan"]
    assert agreed["agreedAt"] is not None

    milestone_id = plan["milestones"][0]["id"]
    done = api.ok(
        "setMilestoneStatus",
        {"milestoneId": milestone_id, "status": "DONE"},
        "milestone { status history { edges { node { fromStatus toStatus } } } }",
        her,
    )["milestone"]
    assert done["status"] == "DONE"
    assert nodes(done["history"]) == [{"fromStatus": "OPEN", "toStatus": "DONE"}]

    for month in ("2026-08", "2026-09", "2026-10"):
        record = api.ok(
            "recordIncome",
            {"participantId": pid, "month": month, "source": "EMPLOYMENT", "amount": "1300.00"},
            "incomeRecord { id verified version }",
            her,
        )["incomeRecord"]
        assert record["verified"] is False
        api.ok(
            "verifyIncome",
            {"incomeRecordId": record["id"], "version": record["version"]},
            "incomeRecord { verified }",
            c,
        )

    me = api.query(
        "{ me { participant { independence { independent consecutiveMonthsAtTarget "
        "targetMonthlyIncome { amount } } "
        "incomeRecords { edges { node { month amount { amount } } } } "
        "accessLog(first: 5) { totalCount edges { node { action actorRole fields } } } } } }",
        None,
        her,
    )["me"]["participant"]
    assert me["independence"] == {
        "independent": True,
        "consecutiveMonthsAtTarget": 3,
        "targetMonthlyIncome": {"amount": "1300.00"},
    }
    assert [r["month"] for r in nodes(me["incomeRecords"])] == ["2026-10", "2026-09", "2026-08"]
    # Nobody has read her data yet; her log shows how her login came about.
    assert [e["node"]["action"] for e in me["accessLog"]["edges"]] == [
        "redeem_enrolment_code",
        "approve_login_request",
        "request_login",
    ]

    # The counselor reads her phone; she sees that read in her access log.
    api.query("query($id: ID!) { participant(id: $id) { phone } }", {"id": pid}, c)
    log = api.query(
        "{ me { participant { accessLog(first: 1) { edges { node { actorRole "
        "actorName fields } } } } } }",
        None,
        her,
    )
    entries = [e["node"] for e in log["me"]["participant"]["accessLog"]["edges"]]
    assert entries == [
        {"actorRole": "COUNSELOR", "actorName": counselor_user.display_name, "fields": ["phone"]}
    ]


def test_admin_audit_log_lists_actions_without_values(api, people):
    admin_user, _ = people.admin()
    counselor_user, counselor = people.counselor()
    person = people.participant(counselor)
    c = api.login(counselor_user.email, PASSWORD)
    api.query("query($id: ID!) { participant(id: $id) { legalName } }", {"id": person.id}, c)
    a = api.login(admin_user.email, PASSWORD)
    data = api.query(
        "query($p: ID) { auditLog(first: 50, participantId: $p) { edges { node { "
        "action fields actorRole } } } }",
        {"p": person.id},
        a,
    )
    actions = [(e["node"]["action"], e["node"]["fields"]) for e in data["auditLog"]["edges"]]
    assert ("read_restricted", ["legal_name"]) in actions
    assert "Canary" not in str(data)
    denied = api.post("{ auditLog(first: 5) { totalCount } }", None, c)
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
