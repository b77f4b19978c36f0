"""A counselor's day with one participant, end to end over HTTP."""

from __future__ import annotations

from tests.support.people import PASSWORD

PLAN_FIELDS = "plan { revision agreedAt pathways targetMonthlyIncome { amount currency } milestones { id title status } revisions { revision } }"  # noqa: E501


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

    login = api.ok(
        "createUser",
        {
            "email": "lina@test.econ",
            "password": "lina-password-1",
            "role": "PARTICIPANT",
            "participantId": pid,
        },
        "user { role }",
        c,
    )
    assert login["user"]["role"] == "PARTICIPANT"
    her = api.login("lina@test.econ", "lina-password-1")

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
        "milestone { status history { fromStatus toStatus } }",
        her,
    )["milestone"]
    assert done == {"status": "DONE", "history": [{"fromStatus": "OPEN", "toStatus": "DONE"}]}

    for month in ("2026-08", "2026-09", "2026-10"):
        record = api.ok(
            "recordIncome",
            {"participantId": pid, "month": month, "source": "EMPLOYMENT", "amount": "1300.00"},
            "incomeRecord { id verified }",
            her,
        )["incomeRecord"]
        assert record["verified"] is False
        api.ok("verifyIncome", {"incomeRecordId": record["id"]}, "incomeRecord { verified }", c)

    me = api.query(
        "{ me { participant { independence { independent consecutiveMonthsAtTarget "
        "targetMonthlyIncome { amount } } incomeRecords { month amount { amount } } "
        "accessLog(first: 5) { totalCount edges { node { actorRole fields } } } } } }",
        None,
        her,
    )["me"]["participant"]
    assert me["independence"] == {
        "independent": True,
        "consecutiveMonthsAtTarget": 3,
        "targetMonthlyIncome": {"amount": "1300.00"},
    }
    assert [r["month"] for r in me["incomeRecords"]] == ["2026-10", "2026-09", "2026-08"]
    assert me["accessLog"]["totalCount"] == 0

    # The counselor reads her phone; she sees that read in her access log.
    api.query("query($id: ID!) { participant(id: $id) { phone } }", {"id": pid}, c)
    log = api.query(
        "{ me { participant { accessLog(first: 5) { edges { node { actorRole "
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
