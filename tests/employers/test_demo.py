"""The demo data loads and the employer login sees its two jobs and shared candidates."""

from __future__ import annotations

from econ.employers import demo as employer_demo
from econ.employers.models import Employer, Opportunity, Referral
from tests.support.pages import nodes


def test_demo_loads_the_partner_employer(api):
    from econ import demo

    ctx = demo.load()
    assert ctx is not None
    (employer,) = Employer.select()
    assert (employer.name, employer.status) == ("Bright Bakery Co-op", "ACTIVE")
    assert Opportunity.select().where(Opportunity.status == "OPEN").count() == 2
    assert Referral.select().where(Referral.status == "SHARED").count() == 2
    token = api.login(*employer_demo.LOGIN)
    data = api.query(
        "{ opportunities { edges { node { title "
        "referrals { edges { node { candidate { handle } } } } } } } }",
        None,
        token,
    )
    candidates = [
        r["candidate"]
        for edge in data["opportunities"]["edges"]
        for r in nodes(edge["node"]["referrals"])
    ]
    assert len(candidates) == 2 and all(c is not None for c in candidates)
