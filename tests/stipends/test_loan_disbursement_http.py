"""A loan paid out through a payment run, over HTTP (issue 15): requested by one FINANCE
user, refused to her as the run's approver, approved by another, disbursed when the bank
reports the payment paid."""

from __future__ import annotations

import time
from datetime import date

from econ.microcredit import services as mc
from tests.support.pages import flat
from tests.support.people import PASSWORD, unique_iban

PERIOD = date.today().strftime("%Y-%m")
RUN = (
    "query($id: ID!) { paymentRun(id: $id) { id state version job { status } "
    "payable { total { amount } } files { edges { node { content } } } "
    "lines { edges { node { id kind loanId scheduleId net { amount } status "
    "attempts { edges { node { reference } } } } } } } }"
)
LOAN = (
    "query($id: ID!) { loan(id: $id) { state disbursementDate disbursementRequested "
    "disbursementPayment { runId status inFlight } schedule { installments { dueDate } } } }"
)


def _run(api, token, run_id, done):
    for _ in range(600):
        run = flat(api.query(RUN, {"id": run_id}, token)["paymentRun"], "files", "attempts")
        if done(run):
            return run
        assert run["job"]["status"] != "FAILED", run["job"]
        time.sleep(0.05)
    raise AssertionError(f"run did not finish: {run}")


def test_a_loan_paid_out_through_a_run_over_http(api, people):
    _, counselor = people.counselor()
    f1_user, f1_actor = people.finance()
    f2_user, _ = people.finance()
    f3_user, _ = people.finance()
    f1, f2, f3 = (api.login(u.email, PASSWORD) for u in (f1_user, f2_user, f3_user))
    group = mc.create_group(
        counselor,
        name="Rose group",
        meeting_frequency="WEEKLY",
        meeting_weekday="THURSDAY",
        meeting_place="Library",
    )
    members = [
        people.participant(counselor, legal_name=f"Rose Member{i}", bank_account=unique_iban())
        for i in range(5)
    ]
    for i, member in enumerate(members):
        mc.add_member(counselor, group.id, member.id, "LEADER" if i == 0 else "MEMBER")
    mc.set_group_status(counselor, group.id, "ACTIVE")
    loan = mc.apply_for_loan(
        counselor,
        members[0].id,
        purpose="EQUIPMENT",
        amount="600.00",
        number_of_installments=6,
        annual_interest_rate="0",
    )
    mc.approve_loan(f1_actor, loan.id)

    asked = api.ok(
        "requestLoanDisbursement", {"loanId": loan.id}, "loan { state disbursementRequested }", f2
    )["loan"]
    assert asked == {"state": "APPROVED", "disbursementRequested": True}
    again = api.mutate("requestLoanDisbursement", {"loanId": loan.id}, "loan { state }", f2)
    assert [e["code"] for e in again["errors"]] == ["DISBURSEMENT_REQUESTED"]

    created = api.ok("createPaymentRun", {"period": PERIOD}, "run { id }", f3)["run"]
    run = _run(api, f3, created["id"], lambda r: r["state"] == "CALCULATED")
    (line,) = [e["node"] for e in run["lines"]["edges"]]
    assert (line["kind"], line["loanId"], line["scheduleId"]) == (
        "LOAN_DISBURSEMENT",
        str(loan.id),
        None,
    )
    assert (line["net"], line["status"]) == ({"amount": "600.00"}, "PENDING")
    reviewed = {"runId": run["id"], "version": run["version"], "controlTotal": "600.00"}
    for author in (f1, f2):  # the loan's approver, the requester: authors of the amount
        refused = api.mutate("approvePaymentRun", reviewed, "run { state }", author)
        assert [e["code"] for e in refused["errors"]] == ["FORBIDDEN"]
    approver_user, _ = people.finance()
    approver = api.login(approver_user.email, PASSWORD)
    api.ok("approvePaymentRun", reviewed, "run { state }", approver)
    api.ok("disbursePaymentRun", {"runId": run["id"], "format": "SEPA"}, "run { state }", f3)
    run = _run(api, f3, run["id"], lambda r: r["job"]["status"] == "DONE" and r["files"])
    assert "Loan disbursement" in run["files"][0]["content"]
    sent = api.query(LOAN, {"id": loan.id}, f3)["loan"]
    assert sent["state"] == "APPROVED"
    assert sent["disbursementPayment"] == {"runId": run["id"], "status": "SENT", "inFlight": True}

    (node,) = [e["node"] for e in run["lines"]["edges"]]
    reference = node["attempts"][0]["reference"]
    api.ok(
        "importPaymentResults",
        {"runId": run["id"], "file": f"reference,status,amount\n{reference},PAID,600.00\n"},
        "result { paid runState }",
        f3,
    )
    paid = api.query(LOAN, {"id": loan.id}, f3)["loan"]
    assert (paid["state"], paid["disbursementDate"]) == ("DISBURSED", date.today().isoformat())
    assert paid["disbursementPayment"]["status"] == "PAID"
    dues = [date.fromisoformat(i["dueDate"]) for i in paid["schedule"]["installments"]]
    assert len(dues) == 6 and all(d.weekday() == 3 for d in dues)  # the group's Thursday
