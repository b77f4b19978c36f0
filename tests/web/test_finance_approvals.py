"""The approvals inbox over HTTP (issue 18): what waits for a second FINANCE user, in words,
decided one or many at a time with one comment, never her own (the page offers no box for
it and the services refuse a forged one), a rejection needs a comment, CSRF."""

from __future__ import annotations

import html
import re

import pytest

from econ.security.models import AuditEntry
from econ.stipends import services as stipends
from econ.stipends.models import Adjustment, IncentiveAward, StipendSchedule
from tests.stipends.conftest import World
from tests.web.counselor_client import PageClient


@pytest.fixture
def desk(app, http, people):
    world = World(people)
    p1, p2, p3 = (world.participant(legal_name=f"Person Number{i}") for i in range(3))
    award = stipends.create_manual_award(world.finance, p1.id, "50.00", "bus fare to the interview")
    adjustment = stipends.create_adjustment(
        world.finance2, p2.id, period="2026-11", amount="-20.00", reason="paid twice in October"
    )
    draft = stipends.create_schedule(
        world.counselor, p3.id, monthly_amount="900.00", start_month="2026-11", duration_months=6
    )
    first = PageClient(app).sign_in(world.finance_user.email)
    second = PageClient(app).sign_in(world.finance2_user.email)
    return world, first, second, award, adjustment, draft, (p1, p2, p3)


def _text(response) -> str:
    return html.unescape(response.text)


def test_the_inbox_says_what_for_whom_and_who_asked(desk):
    world, first, _, award, adjustment, _draft, (p1, p2, p3) = desk
    page = _text(first.get("/staff/approvals"))
    assert "Award of €50.00: entered by hand. bus fare to the interview" in page
    assert "−€20.00 in the payment of November 2026: paid twice in October" in page or (
        "-€20.00 in the payment of November 2026" in page
    )
    assert "New stipend: €900.00 a month for 6 months from November 2026" in page
    assert p1.code in page and p2.code in page and p3.code in page
    assert f"asked by {world.finance2_user.display_name}" in page
    # her own award: words, no box
    assert "You entered this: another colleague decides." in page
    assert f'name="pick:AWARD:{award.id}"' not in first.get("/staff/approvals").text
    assert f'name="pick:ADJUSTMENT:{adjustment.id}"' in first.get("/staff/approvals").text


def test_approve_many_with_one_comment(desk):
    _, first, _, _, adjustment, draft, _ = desk
    answer = first.post(
        "/staff/approvals",
        {f"pick:ADJUSTMENT:{adjustment.id}": "1", f"pick:SCHEDULE:{draft.id}": "1",
         "decision": "approve", "comment": "checked against the October file"},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303 and answer.headers["location"] == "/staff/approvals?approved=2"
    assert "Approved: 2." in _text(first.get(answer.headers["location"]))
    assert Adjustment.get_by_id(adjustment.id).state == "APPROVED"
    assert StipendSchedule.get_by_id(draft.id).state == "APPROVED"
    entry = AuditEntry.get(
        (AuditEntry.action == "approve_adjustment") & (AuditEntry.record_id == str(adjustment.id))
    )
    assert entry.detail == "checked against the October file"


def test_never_her_own_even_forged(desk):
    _, first, _, award, _, _, _ = desk
    forged = first.post(
        "/staff/approvals", {f"pick:AWARD:{award.id}": "1", "decision": "approve", "comment": ""}
    )
    assert "Some could not be decided" in _text(forged)
    assert "another finance colleague must" in _text(forged)
    assert IncentiveAward.get_by_id(award.id).state == "PENDING"
    made_up = first.post("/staff/approvals", {"pick:AWARD:999999": "1", "decision": "approve"})
    assert "Tick at least one." in _text(made_up)


def test_reject_needs_a_comment_and_is_never_paid(desk):
    _, _, second, award, _, _, _ = desk
    bare = second.post("/staff/approvals", {f"pick:AWARD:{award.id}": "1", "decision": "reject"})
    assert "Say why you reject" in _text(bare)
    assert IncentiveAward.get_by_id(award.id).state == "PENDING"
    done = second.post(
        "/staff/approvals",
        {f"pick:AWARD:{award.id}": "1", "decision": "reject", "comment": "<b>no receipt</b>"},
        follow_redirects=False,
    )
    assert done.headers["location"] == "/staff/approvals?rejected=1"
    assert IncentiveAward.get_by_id(award.id).state == "REJECTED"
    assert "Award of €50.00" not in _text(second.get("/staff/approvals"))
    entry = AuditEntry.get(AuditEntry.action == "reject_incentive_award")
    assert entry.detail == "<b>no receipt</b>"


def test_no_csrf_and_other_roles(desk, people, app):
    _, first, _, _, adjustment, _, _ = desk
    no_token = first.http.post(
        "/staff/approvals",
        data={f"pick:ADJUSTMENT:{adjustment.id}": "1", "decision": "approve"},
        headers={"Accept": "text/html"},
    )
    assert no_token.status_code == 403
    assert Adjustment.get_by_id(adjustment.id).state == "PENDING"
    counselor_user, _ = people.counselor()
    counselor = PageClient(app).sign_in(counselor_user.email)
    away = counselor.get("/staff/approvals", follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"] != "/staff/approvals"


def test_loan_rows_name_the_applicant_the_group_and_who_asked(app, http, people):
    """A loan application and a write-off say whose loan (her code, never her name), in
    which group, who applied or proposed; one comment decides both at once."""
    from econ.microcredit import services as mc
    from econ.microcredit.models import Loan
    from tests.microcredit.factory import disbursed_loan, world

    w = world(people, size=3)
    paid = disbursed_loan(w, w.members[0], amount="300.00", installments=3)
    mc.write_off_loan(w.finance, paid.id, "she moved away, no contact")
    applied = mc.apply_for_loan(
        w.counselor, w.members[1].id, purpose="WORKING_CAPITAL", amount="200.00",
        number_of_installments=4, annual_interest_rate="0",
    )  # fmt: skip
    first = PageClient(app).sign_in(w.finance_user.email)
    second = PageClient(app).sign_in(w.finance2_user.email)
    page = _text(second.get("/staff/approvals"))
    loans = page.split("Loan applications")[1].split("</section>")[0]
    assert w.members[1].code in loans and "Loan of €200.00 in 4 instalments" in loans
    assert (
        "Group: " in loans and "Sunflower group" in loans and f"/staff/groups/{w.group.id}" in loans
    )
    assert f"asked by {w.counselor_user.display_name}" in loans
    assert "Canary" not in page and "+34 600" not in page  # no restricted field of theirs
    offs = page.split("Loan write-offs")[1].split("</section>")[0]
    assert w.members[0].code in offs and "Sunflower group" in offs
    assert f"asked by {w.finance_user.display_name}" in offs
    # the one who proposed the write-off gets words, no box
    assert f'name="pick:WRITE_OFF:{paid.id}"' not in first.get("/staff/approvals").text
    answer = second.post(
        "/staff/approvals",
        {f"pick:LOAN:{applied.id}": "1", f"pick:WRITE_OFF:{paid.id}": "1",
         "decision": "approve", "comment": "group vouched at the meeting"},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303, _text(answer)
    assert answer.headers["location"] == "/staff/approvals?approved=2"
    assert Loan.get_by_id(applied.id).state == "APPROVED"
    assert Loan.get_by_id(paid.id).state == "WRITTEN_OFF"


def test_who_applied_for_a_loan_is_for_finance_only(api, people):
    from econ.microcredit import services as mc
    from tests.microcredit.factory import world
    from tests.support.people import PASSWORD

    w = world(people, size=3)
    mc.apply_for_loan(
        w.counselor, w.members[0].id, purpose="EQUIPMENT", amount="120.00",
        number_of_installments=3, annual_interest_rate="0",
    )  # fmt: skip
    query = "query { loans(state: APPLIED, first: 5) { edges { node { appliedBy { id } } } } }"

    def applied_by(user):
        answer = api.post(query, {}, api.login(user.email, PASSWORD))
        return [e["node"]["appliedBy"] for e in answer["data"]["loans"]["edges"]]

    assert applied_by(w.finance_user) == [{"id": str(w.counselor_user.id)}]
    assert applied_by(w.counselor_user) == [None]  # her own counselor reads the loan, not this


def test_a_long_inbox_says_how_many_wait_beyond_its_first_page(desk):
    """103 awards wait: the page lists the first 100, counts all 103 and says the others
    come up as these are decided; after deciding 100, the other 3 are there."""
    world, _, second, award, *_ = desk
    participant = world.participant()
    made = [
        stipends.create_manual_award(world.finance, participant.id, "1.00", f"fare {i}")
        for i in range(102)
    ]
    page = _text(second.get("/staff/approvals"))
    assert '<span class="count">103</span>' in page
    assert "The first 100 of 103: the others come up here as these are decided." in page
    picks = {key: "1" for key in re.findall(r'name="(pick:AWARD:\d+)"', page)}
    assert len(picks) == 100
    answer = second.post(
        "/staff/approvals", {**picks, "decision": "approve", "comment": ""},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303
    after = _text(second.get("/staff/approvals"))
    left = {int(i) for i in re.findall(r'name="pick:AWARD:(\d+)"', after)}
    assert len(left) == 3 and left <= {a.id for a in [award, *made]}
    assert "The first" not in after
