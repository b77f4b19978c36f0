"""Over HTTP: schedule preview, visibility by role, mutation errors, write-off four eyes."""

from __future__ import annotations

from datetime import date

from econ.microcredit import services as mc
from econ.microcredit.models import Loan
from tests.microcredit.factory import disbursed_loan, employer_login, world
from tests.support.people import PASSWORD

PREVIEW = """query P($input: LoanSchedulePreviewInput!) { loanSchedulePreview(input: $input) {
  installments { number dueDate principal interest total balanceAfter }
  totalInterest totalRepayment } }"""


def token(api, user) -> str:
    return api.login(user.email, PASSWORD)


def test_preview_reproduces_fineract_rs01(api, people):
    user, _ = people.finance()
    # Fineract LoanRepayment.feature RS01 (also in test_schedule_golden.py): 5000 EUR, 12 %
    # flat, 18 monthly, installment multiple 1 -> principal 278 a month, last 274, interest 50.
    data = api.query(
        PREVIEW,
        {
            "input": {
                "principal": "5000",
                "annualInterestRate": "12",
                "numberOfInstallments": 18,
                "frequency": "MONTHS",
                "disbursementDate": "2022-11-01",
                "interestMethod": "FLAT",
                "installmentAmountInMultiplesOf": "1",
                "daysInYear": "365",
                "roundingMode": "HALF_EVEN",
                "interestCalculationPeriod": "SAME_AS_REPAYMENT_PERIOD",
                "amortization": "EQUAL_INSTALLMENTS",
                "repaymentEvery": 1,
            }
        },
        token(api, user),
    )["loanSchedulePreview"]
    first, last = data["installments"][0], data["installments"][-1]
    assert first == {
        "number": 1,
        "dueDate": "2022-12-01",
        "principal": "278.00",
        "interest": "50.00",
        "total": "328.00",
        "balanceAfter": "4722.00",
    }
    assert (last["number"], last["principal"], last["dueDate"]) == (18, "274.00", "2024-05-01")
    assert (data["totalInterest"], data["totalRepayment"]) == ("900.00", "5900.00")


def test_preview_zero_decimal_currency_and_errors(api, people):
    _, counselor = people.counselor()
    person = people.participant(counselor)
    her_user, _ = people.participant_login(counselor, person)
    t = token(api, her_user)
    # test_schedule_golden.py: XOF, 0 digits, multiples of 100, 24 %, 6 months.
    data = api.query(
        PREVIEW,
        {
            "input": {
                "principal": "500000",
                "annualInterestRate": "24",
                "numberOfInstallments": 6,
                "frequency": "MONTHS",
                "disbursementDate": "2026-01-01",
                "currency": "XOF",
                "currencyDigits": 0,
                "currencyInMultiplesOf": 100,
            }
        },
        t,
    )["loanSchedulePreview"]
    assert [i["interest"] for i in data["installments"]] == [
        "10000",
        "8400",
        "6800",
        "5100",
        "3500",
        "1700",
    ]
    assert data["totalRepayment"] == "535500"
    body = api.post(
        PREVIEW,
        {
            "input": {
                "principal": "1000",
                "annualInterestRate": "12",
                "numberOfInstallments": 4,
                "frequency": "WEEKS",
                "disbursementDate": "2026-01-01",
                "graceOnPrincipal": 4,
            }
        },
        t,
    )
    error = body["errors"][0]["extensions"]
    assert error == {"code": "INVALID_LOAN_TERMS", "field": "graceOnPrincipal"}
    employer_user, _ = employer_login(people)
    body = api.post(
        PREVIEW,
        {
            "input": {
                "principal": "1000",
                "annualInterestRate": "0",
                "numberOfInstallments": 4,
                "frequency": "WEEKS",
                "disbursementDate": "2026-01-01",
            }
        },
        token(api, employer_user),
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_employer_admin_and_other_counselor_see_nothing(api, people):
    w = world(people)
    loan = disbursed_loan(w, w.members[0])
    employer_user, _ = employer_login(people)
    other_user, _ = people.counselor()
    admin_user, _ = people.admin()  # ADMIN has no case data (DOMAIN.md roles)
    query = "query Q($g: ID!, $l: ID!) { loanGroup(id: $g) { id } loan(id: $l) { id } }"
    for user in (employer_user, other_user, admin_user):
        body = api.post(query, {"g": w.group.id, "l": loan.id}, token(api, user))
        assert body["data"] == {"loanGroup": None, "loan": None}
    for user in (employer_user, admin_user):
        for query in ("{ loanGroups { totalCount } }", "{ portfolio { par30 } }"):
            body = api.post(query, None, token(api, user))
            assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert api.query("{ loanGroups { totalCount } }", None, token(api, other_user)) == {
        "loanGroups": {"totalCount": 0}
    }
    # Her counselor and finance see the group's members and loans.
    for user in (w.counselor_user, w.finance_user):
        data = api.query(
            "query G($g: ID!) { loanGroup(id: $g) { members { role participant { preferredName } }"
            " loans { edges { node { id state } } } par30 } }",
            {"g": w.group.id},
            token(api, user),
        )["loanGroup"]
        assert len(data["members"]) == 5 and data["members"][0]["role"] == "LEADER"
        assert data["loans"]["edges"] == [{"node": {"id": str(loan.id), "state": "DISBURSED"}}]
        # 10 weekly installments from 13 Jan 2025, nothing paid: far more than 30 days late.
        assert data["par30"] == "1.0000"


def test_participant_sees_her_loan_but_no_other_members_pii_or_loans(api, people):
    w = world(people)
    mine = disbursed_loan(w, w.members[0], amount="300.00", installments=3)
    theirs = disbursed_loan(w, w.members[1], amount="300.00", installments=3)
    user, _ = people.participant_login(w.counselor, w.members[0])
    t = token(api, user)
    data = api.query("{ loans { edges { node { id borrower { preferredName } } } } }", None, t)[
        "loans"
    ]["edges"]
    assert [e["node"]["id"] for e in data] == [str(mine.id)]
    body = api.post(
        "query P($id: ID!) { participant(id: $id) { loans { totalCount } legalName } }",
        {"id": w.members[1].id},
        t,
    )
    assert body["data"] == {"participant": None}
    assert api.query("query L($id: ID!) { loan(id: $id) { id } }", {"id": theirs.id}, t) == {
        "loan": None
    }


def test_mutation_errors_and_write_off_four_eyes_over_http(api, people):
    w = world(people)
    loan = disbursed_loan(w, w.members[0], amount="500.00", installments=5)
    c, f1, f2 = (token(api, u) for u in (w.counselor_user, w.finance_user, w.finance2_user))
    payload = api.mutate(
        "recordRepayment",
        {"loanId": str(loan.id), "amount": "600.00", "paidOn": "2025-01-13"},
        "repayment { id }",
        c,
    )
    assert payload["errors"] == [
        {
            "field": "amount",
            "code": "OVERPAYMENT",
            "message": "the repayment exceeds what remains of the loan by 100.00",
        }
    ]
    paid = api.ok(
        "recordRepayment",
        {"loanId": str(loan.id), "amount": "100.00", "paidOn": "2025-01-13", "channel": "CASH"},
        "repayment { id allocation { installmentNumber principal interest } } "
        "loan { outstandingPrincipal }",
        c,
    )
    assert paid["repayment"]["allocation"] == [
        {"installmentNumber": 1, "principal": "100.00", "interest": "0.00"}
    ]
    assert paid["loan"]["outstandingPrincipal"] == "400.00"
    reversed_ = api.ok(
        "reverseRepayment",
        {"repaymentId": paid["repayment"]["id"], "reason": "wrong loan"},
        "repayment { reversed reversalReason } loan { outstandingPrincipal }",
        f1,
    )
    assert reversed_ == {
        "repayment": {"reversed": True, "reversalReason": "wrong loan"},
        "loan": {"outstandingPrincipal": "500.00"},
        "errors": [],
    }
    api.ok(
        "writeOffLoan", {"loanId": str(loan.id), "reason": "left the country"}, "loan { id }", f1
    )
    same = api.mutate("approveWriteOff", {"loanId": str(loan.id)}, "loan { state }", f1)
    assert [e["code"] for e in same["errors"]] == ["FORBIDDEN"]
    done = api.ok("approveWriteOff", {"loanId": str(loan.id)}, "loan { state writeOffReason }", f2)
    assert done["loan"] == {"state": "WRITTEN_OFF", "writeOffReason": "left the country"}
    assert Loan.get_by_id(loan.id).written_off_at.date() == date.today()


def test_collection_sheet_error_names_the_row_over_http(api, people):
    w = world(people, size=3)
    disbursed_loan(w, w.members[0], amount="100.00", installments=2)
    rows = [
        {"participantId": str(m.id), "attendance": "PRESENT", "amount": a, "savings": "1.00"}
        for m, a in zip(w.members, ["50.00", "0", "20.00"], strict=True)
    ]
    payload = api.mutate(
        "saveCollectionSheet",
        {"groupId": str(w.group.id), "date": "2025-01-13", "rows": rows},
        "meeting { id }",
        token(api, w.counselor_user),
    )
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("rows.2.amount", "NO_OPEN_LOAN")
    ]
    assert payload["meeting"] is None
    assert mc.fund_total(w.group.id) == 0
