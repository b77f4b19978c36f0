"""Her awards and adjustments (issue 17, the money tab): `Participant.incentiveAwards` and
`Participant.adjustments` read by finance, her counselor and herself, never by an ADMIN,
an employer or another counselor; the money tab says where each approval stands."""

from __future__ import annotations

from econ.stipends import services as stipends
from tests.support.people import PASSWORD
from tests.web.counselor_client import PageClient

AMOUNTS = """query A($id: ID!) { participant(id: $id) {
  incentiveAwards(first: 10) { totalCount edges { node { rule state paid createdBy { id } } } }
  adjustments { totalCount edges { node { reason state createdBy { id } } } } } }"""


def _amounts(people):
    """Her: an approved award, a rejected one, a pending support grant (two FINANCE users)."""
    user, counselor = people.counselor()
    her = people.participant(counselor, preferred_name="Rosa")
    _, first = people.finance()
    _, second = people.finance()
    approved = stipends.create_manual_award(first, her.id, "40.00", "Came to every class")
    stipends.approve_award(second, approved.id)
    rejected = stipends.create_manual_award(first, her.id, "25.00", "Entered twice")
    stipends.reject_award(second, rejected.id, "a duplicate")
    stipends.create_adjustment(
        first, her.id, period="2026-11", amount="60.00", reason="Bus pass", category="TRANSPORT"
    )
    return user, counselor, her


def test_the_money_tab_lists_awards_and_adjustments_with_their_state(app, http, people):
    user, _, her = _amounts(people)
    page = PageClient(app).sign_in(user.email).get(f"/staff/participants/{her.id}/money")
    assert page.status_code == 200
    html = page.text
    assert "Awards and adjustments" in html
    assert html.count('data-state="APPROVED"') == 1 and html.count('data-state="REJECTED"') == 1
    assert "approved" in html and "rejected: it is never paid" in html
    assert "waits for a second finance colleague to approve it" in html
    assert "Support grant: transport" in html and "Bus pass" in html
    assert "Came to every class" in html
    spanish = PageClient(app).sign_in(user.email)
    spanish.http.cookies.set("econ_lang", "es")
    assert "rechazado" in spanish.get(f"/staff/participants/{her.id}/money").text


def test_who_reads_her_awards_and_adjustments(api, people):
    user, counselor, her = _amounts(people)
    variables = {"id": str(her.id)}
    mine = api.query(AMOUNTS, variables, api.login(user.email, PASSWORD))["participant"]
    assert mine["incentiveAwards"]["totalCount"] == 2
    assert {e["node"]["state"] for e in mine["incentiveAwards"]["edges"]} == {
        "APPROVED",
        "REJECTED",
    }
    assert mine["adjustments"]["edges"][0]["node"]["state"] == "PENDING"
    # who entered an amount is FINANCE's to read: her counselor gets null
    assert all(e["node"]["createdBy"] is None for e in mine["incentiveAwards"]["edges"])
    finance_user, _ = people.finance()
    seen = api.query(AMOUNTS, variables, api.login(finance_user.email, PASSWORD))["participant"]
    assert all(e["node"]["createdBy"] for e in seen["incentiveAwards"]["edges"])
    login, _ = people.participant_login(counselor, her)
    own = api.query(AMOUNTS, variables, api.login(login.email, PASSWORD))["participant"]
    assert own["adjustments"]["totalCount"] == 1
    other_user, _ = people.counselor()
    answer = api.post(AMOUNTS, variables, api.login(other_user.email, PASSWORD))
    assert answer["data"]["participant"] is None  # another caseload: not found
    admin, _ = people.admin()  # the registry only: her money is case data
    answer = api.post(AMOUNTS, variables, api.login(admin.email, PASSWORD))
    assert answer["data"]["participant"] is None
    assert {e["extensions"]["code"] for e in answer["errors"]} == {"FORBIDDEN"}
    employer, _ = people.employer()  # not even a candidate of his: no participant at all
    answer = api.post(AMOUNTS, variables, api.login(employer.email, PASSWORD))
    assert answer["data"]["participant"] is None


def test_another_caseloads_money_tab_is_not_found(app, http, people):
    _, _, her = _amounts(people)
    other, _ = people.counselor()
    page = PageClient(app).sign_in(other.email).get(f"/staff/participants/{her.id}/money")
    assert page.status_code == 404
