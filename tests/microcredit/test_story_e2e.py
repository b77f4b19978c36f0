"""The issue's end-to-end story over HTTP: a group of five, two loans, three weekly meetings
with a collection sheet each (one member short, one paying ahead), a two-week group
holiday, then the borrower's own view of her loan.

Both loans are at 0 % so every figure is principal / installments: Maria 500.00 in 10
weekly installments of 50.00, Lina 300.00 in 6 of 50.00, disbursed Monday 3 March 2025,
first due one week later (Fineract: disbursement + one period).
"""

from __future__ import annotations

from decimal import Decimal

from econ.ledger.services import balance
from tests.support.pages import flat
from tests.support.people import PASSWORD

GROUP = "id name status memberCount fund"
LOAN = (
    "id state principal schedule { projected installments "
    "{ number dueDate principal interest total paid outstanding } } "
    "repayments { edges { node { amount paidOn channel reversed } } } "
    "daysPastDue outstandingPrincipal"
)


def token(api, user) -> str:
    return api.login(user.email, PASSWORD)


def sheet_rows(members, amounts: dict, attendance: dict | None = None) -> list[dict]:
    attendance = attendance or {}
    return [
        {
            "participantId": str(m.id),
            "attendance": attendance.get(m.preferred_name, "PRESENT"),
            "amount": amounts.get(m.preferred_name, "0"),
            "savings": "5.00",
        }
        for m in members
    ]


def test_group_loans_meetings_holiday_and_her_view(api, people):
    counselor_user, counselor = people.counselor()
    finance_user, _ = people.finance()
    c, f = token(api, counselor_user), token(api, finance_user)
    names = ["Maria", "Lina", "Joy", "Ioana", "Sofia"]
    members = [people.participant(counselor, preferred_name=n) for n in names]
    maria, lina = members[0], members[1]

    # The counselor forms the group of five and starts it.
    group = api.ok(
        "createLoanGroup",
        {
            "name": "Sunflower",
            "meetingFrequency": "WEEKLY",
            "meetingWeekday": "MONDAY",
            "meetingPlace": "Community centre",
            "savingsPerMeeting": "5.00",
        },
        f"group {{ {GROUP} }}",
        c,
    )["group"]
    assert group["status"] == "FORMING"
    for index, m in enumerate(members):
        api.ok(
            "addGroupMember",
            {
                "groupId": group["id"],
                "participantId": str(m.id),
                "role": "LEADER" if index == 0 else "MEMBER",
            },
            "group { id }",
            c,
        )
    group = api.ok(
        "setGroupStatus", {"groupId": group["id"], "status": "ACTIVE"}, f"group {{ {GROUP} }}", c
    )["group"]
    assert (group["status"], group["memberCount"]) == ("ACTIVE", 5)

    # Two apply; finance approves and disburses.
    loans = {}
    for person, amount, n in ((maria, "500.00", 10), (lina, "300.00", 6)):
        loan = api.ok(
            "applyForLoan",
            {
                "participantId": str(person.id),
                "purpose": "WORKING_CAPITAL",
                "amount": amount,
                "numberOfInstallments": n,
                "annualInterestRate": "0",
            },
            "loan { id state frequency repaymentEvery }",
            c,
        )["loan"]
        assert (loan["state"], loan["frequency"], loan["repaymentEvery"]) == ("APPLIED", "WEEKS", 1)
        api.ok("approveLoan", {"loanId": loan["id"]}, "loan { state }", f)
        disbursed = api.ok(
            "disburseLoan",
            {"loanId": loan["id"], "disbursementDate": "2025-03-03"},
            "loan { state firstDueDate }",
            f,
        )["loan"]
        assert disbursed == {"state": "DISBURSED", "firstDueDate": "2025-03-10"}
        loans[person.preferred_name] = loan["id"]
    # 500 + 300 left the bank into loans receivable.
    assert balance("loans_receivable") == 800

    # Meeting 1: Lina pays 30.00 of the 50.00 due (short).
    sheet = api.query(
        'query S($g: ID!) { collectionSheet(groupId: $g, date: "2025-03-10") '
        "{ saved rows { preferredName amountDue savingsDue } } }",
        {"g": group["id"]},
        c,
    )["collectionSheet"]
    due = {r["preferredName"]: (r["amountDue"], r["savingsDue"]) for r in sheet["rows"]}
    assert sheet["saved"] is False
    assert due["Maria"] == ("50.00", "5.00") and due["Lina"] == ("50.00", "5.00")
    assert due["Joy"] == ("0.00", "5.00")
    save = "sheet { saved rows { preferredName paid saved attendance } }"
    first = api.ok(
        "saveCollectionSheet",
        {
            "groupId": group["id"],
            "date": "2025-03-10",
            "rows": sheet_rows(members, {"Maria": "50.00", "Lina": "30.00"}, {"Joy": "EXCUSED"}),
        },
        save,
        c,
    )["sheet"]
    row = {r["preferredName"]: r for r in first["rows"]}
    assert first["saved"] is True
    assert (row["Lina"]["paid"], row["Joy"]["attendance"]) == ("30.00", "EXCUSED")

    # As of two days later Lina is 2 days late on 20.00 of principal; PAR30 stays 0.
    portfolio = api.query(
        '{ portfolio(asOf: "2025-03-12") { par30 arrearsRate outstandingPrincipal '
        "buckets { label count outstanding } } }",
        None,
        f,
    )["portfolio"]
    # 720.00 outstanding = 450.00 (Maria) + 270.00 (Lina); 20.00 / 720.00 = 0.02777... -> 0.0278
    assert portfolio["outstandingPrincipal"] == "720.00"
    assert portfolio["arrearsRate"] == "0.0278"
    assert portfolio["par30"] == "0.0000"
    assert portfolio["buckets"][0] == {"label": "1-30", "count": 1, "outstanding": "270.00"}

    # Meeting 2: Lina catches up (20.00 + 50.00), Maria pays two installments (one ahead).
    api.ok(
        "saveCollectionSheet",
        {
            "groupId": group["id"],
            "date": "2025-03-17",
            "rows": sheet_rows(members, {"Maria": "100.00", "Lina": "70.00"}),
        },
        "meeting { id }",
        c,
    )
    # Meeting 3: Maria owes nothing more by the 24th (150.00 paid) yet pays 50.00 ahead.
    sheet = api.query(
        'query S($g: ID!) { collectionSheet(groupId: $g, date: "2025-03-24") '
        "{ rows { preferredName amountDue } } }",
        {"g": group["id"]},
        c,
    )["collectionSheet"]
    due = {r["preferredName"]: r["amountDue"] for r in sheet["rows"]}
    assert (due["Maria"], due["Lina"]) == ("0.00", "50.00")
    api.ok(
        "saveCollectionSheet",
        {
            "groupId": group["id"],
            "date": "2025-03-24",
            "rows": sheet_rows(members, {"Maria": "50.00", "Lina": "50.00"}, {"Sofia": "LATE"}),
        },
        "meeting { id }",
        c,
    )
    # Three meetings x five members x 5.00 = 75.00 in the fund.
    seen = api.query(
        "query G($id: ID!) { loanGroup(id: $id) { fund meetings { edges { node { date } } } } }",
        {"id": group["id"]},
        c,
    )
    assert flat(seen, "meetings")["loanGroup"] == {
        "fund": "75.00",
        "meetings": [{"date": "2025-03-24"}, {"date": "2025-03-17"}, {"date": "2025-03-10"}],
    }

    # A two-week group holiday: Maria's first unpaid installment (5th, 7 April) and Lina's
    # (4th, 31 March) move two weeks, as does everything after them.
    moved_ids = api.ok(
        "grantRepaymentHoliday",
        {"groupId": group["id"], "installments": 2, "reason": "flood in the market"},
        "loans { id }",
        f,
    )["loans"]
    # Each loan's schedule on its own: the group's loans with all their installments in one
    # answer could exceed the cost limit (econ/schema/cost.py) in the worst case.
    moved = [
        api.query(
            "query L($id: ID!) { loan(id: $id) { id schedule { installments "
            "{ number dueDate } } } }",
            {"id": loan["id"]},
            f,
        )["loan"]
        for loan in moved_ids
    ]
    dates = {
        loan["id"]: {i["number"]: i["dueDate"] for i in loan["schedule"]["installments"]}
        for loan in moved
    }
    assert dates[loans["Maria"]][4] == "2025-03-31"  # paid ahead: stays
    assert dates[loans["Maria"]][5] == "2025-04-21"  # was 2025-04-07
    assert dates[loans["Maria"]][10] == "2025-05-26"  # was 2025-05-12
    assert dates[loans["Lina"]][3] == "2025-03-24"
    assert dates[loans["Lina"]][4] == "2025-04-14"  # was 2025-03-31
    assert dates[loans["Lina"]][6] == "2025-04-28"  # was 2025-04-14

    # Maria's own view.
    maria_user, _ = people.participant_login(counselor, maria)
    m = token(api, maria_user)
    mine = flat(
        api.query(
            "query L($id: ID!) { loan(id: $id) { " + LOAN + " } }", {"id": loans["Maria"]}, m
        ),
        "repayments",
    )
    loan = mine["loan"]
    assert (loan["state"], loan["principal"], loan["outstandingPrincipal"]) == (
        "DISBURSED",
        "500.00",
        "300.00",
    )
    assert loan["schedule"]["projected"] is False
    paid = [i["paid"] for i in loan["schedule"]["installments"]]
    assert paid == ["50.00"] * 4 + ["0.00"] * 6
    assert [r["amount"] for r in loan["repayments"]] == ["50.00", "100.00", "50.00"]
    assert {r["channel"] for r in loan["repayments"]} == {"COLLECTION_SHEET"}
    # No extra interest from the holiday: the total still sums to the principal.
    assert sum(Decimal(i["total"]) for i in loan["schedule"]["installments"]) == 500

    her = api.query(
        "query P($id: ID!) { participant(id: $id) { loans { edges { node { id state } } } } }",
        {"id": maria.id},
        m,
    )
    assert [e["node"] for e in her["participant"]["loans"]["edges"]] == [
        {"id": loans["Maria"], "state": "DISBURSED"}
    ]
    # Of her group: name, calendar, fund and member count only.
    body = api.post(
        "{ loanGroups { edges { node { name meetingFrequency meetingWeekday meetingPlace "
        "fund memberCount nextMeetingDates(count: 2) } } } }",
        None,
        m,
    )
    assert "errors" not in body
    node = body["data"]["loanGroups"]["edges"][0]["node"]
    assert (node["name"], node["fund"], node["memberCount"]) == ("Sunflower", "75.00", 5)
    assert node["meetingWeekday"] == "MONDAY" and len(node["nextMeetingDates"]) == 2
    for field in (
        "members { participant { id } }",
        "loans { totalCount }",
        "meetings { totalCount }",
        "par30",
    ):
        body = api.post(
            "query G($id: ID!) { loanGroup(id: $id) { name " + field + " } }",
            {"id": group["id"]},
            m,
        )
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", field
    # Another member's loan does not exist for her.
    body = api.post("query L($id: ID!) { loan(id: $id) { id } }", {"id": loans["Lina"]}, m)
    assert body["data"] == {"loan": None}
