"""Her awards and adjustments as the participant herself and another participant read
them (the paths tests/web/test_counselor_money_amounts.py does not walk): she reads her
own without who entered them or her code (FINANCE's, for the four eyes); another
participant reads no participant at all, nor her money."""

from __future__ import annotations

from econ.stipends import services as stipends
from tests.support.people import PASSWORD

AMOUNTS = """query A($id: ID!) { participant(id: $id) {
  incentiveAwards { totalCount edges { node { note participantCode createdBy { id } } } }
  adjustments { totalCount edges { node { reason participantCode createdBy { id } } } } } }"""


def test_she_reads_her_amounts_without_who_entered_them_and_no_one_else_does(api, people):
    _, counselor = people.counselor()
    her = people.participant(counselor, preferred_name="Rosa")
    neighbour = people.participant(counselor, preferred_name="Ana")
    _, finance = people.finance()
    stipends.create_manual_award(finance, her.id, "40.00", "Came to every class")
    stipends.create_adjustment(
        finance, her.id, period="2026-11", amount="60.00", reason="Bus pass", category="TRANSPORT"
    )
    variables = {"id": str(her.id)}
    login, _ = people.participant_login(counselor, her)
    own = api.query(AMOUNTS, variables, api.login(login.email, PASSWORD))["participant"]
    nodes = [e["node"] for key in ("incentiveAwards", "adjustments") for e in own[key]["edges"]]
    assert len(nodes) == 2
    assert all(n["createdBy"] is None and n["participantCode"] is None for n in nodes)
    other, _ = people.participant_login(counselor, neighbour)
    answer = api.post(AMOUNTS, variables, api.login(other.email, PASSWORD))
    assert answer["data"]["participant"] is None
    assert "Came to every class" not in str(answer) and "Bus pass" not in str(answer)
