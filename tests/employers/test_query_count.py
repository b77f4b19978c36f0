"""An opportunity's referrals with candidates cost the same statements for 3 or 30."""

from __future__ import annotations

from econ.employers import services
from tests.employers.conftest import consent, make_employer, open_opportunity
from tests.support.pages import nodes
from tests.support.people import PASSWORD
from tests.support.queries import count_queries

QUERY = """query($id: ID!) { opportunity(id: $id) { title employer { name } referrals(first: 50) {
  edges { node { id handle status history { edges { node { toStatus note actorRole } } }
  opportunity { id }
  candidate { handle skills { key } credentials { edges { node { name issuedOn } } } languages
    availability { hoursPerWeek } preferredName contactChannel { type value } } } } } } }"""


def _statements_for(api, people, n: int, as_employer: bool) -> int:
    from tests.conftest import truncate_all

    truncate_all()
    _, admin = people.admin()
    counselor_user, counselor = people.counselor()
    employer = make_employer(admin)
    employer_user, staff = people.employer(employer.id)
    opportunity = open_opportunity(staff, openings=50)
    for i in range(n):
        her = people.participant(counselor, preferred_name=f"P{i}")
        services.set_work_preferences(counselor, her.id, available_hours_per_week=20)
        consent(counselor, her.id, employer.id)
        consent(
            counselor,
            her.id,
            employer.id,
            "IDENTITY",
            channel_type="EMAIL",
            channel_value=f"p{i}@example.org",
        )
        referral = services.refer_participant(counselor, opportunity.id, her.id)
        services.advance_referral(counselor, referral.id, "SHARED")
    user = employer_user if as_employer else counselor_user
    token = api.login(user.email, PASSWORD)
    with count_queries() as counter:
        data = api.query(QUERY, {"id": opportunity.id}, token)
    referrals = nodes(data["opportunity"]["referrals"])
    assert len(referrals) == n
    assert all(r["candidate"]["preferredName"] for r in referrals)
    return counter.count


def test_employer_view_statement_count_does_not_grow(api, people):
    assert _statements_for(api, people, 3, True) == _statements_for(api, people, 30, True)


def test_counselor_view_statement_count_does_not_grow(api, people):
    assert _statements_for(api, people, 3, False) == _statements_for(api, people, 30, False)
