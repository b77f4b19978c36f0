"""An opportunity's referrals read through announced relations: no event loop, the same
batches, nothing read of a hidden candidate, nothing of another company's opportunity."""

from __future__ import annotations

from dataclasses import replace

from econ.employers import services
from econ.schema import endpoint
from tests.employers.conftest import make_employer, open_opportunity, shared_referral
from tests.support.pages import nodes
from tests.support.people import PASSWORD
from tests.support.queries import count_queries

QUERY = """query($id: ID!) { opportunity(id: $id) { id referrals(first: 50) { edges { node {
  handle history(first: 30) { edges { node { toStatus } } }
  candidate { handle languages credentials(first: 30) { edges { node { name } } } } } } } } }"""


def _spy(monkeypatch) -> tuple[list, list]:
    """(the ids each credentials read asked for, the operations that needed the loop)."""
    asked: list[list[int]] = []
    looped: list[object] = []
    read = services.credential_pages

    def credential_pages(ids, size, skip):
        asked.append(sorted(ids))
        return read(ids, size, skip)

    def run_on_thread_loop(awaitable):
        looped.append(awaitable)
        return real_loop(awaitable)

    real_loop = endpoint.run_on_thread_loop
    monkeypatch.setattr(services, "credential_pages", credential_pages)
    monkeypatch.setattr(endpoint, "run_on_thread_loop", run_on_thread_loop)
    return asked, looped


def test_referrals_of_one_opportunity_run_without_the_loop_hidden_ones_unread(
    api, people, world, monkeypatch
):
    shown = [people.participant(world.counselor) for _ in range(2)]
    for her in shown:
        shared_referral(world, her)
    hidden = people.participant(world.counselor)  # proposed, no PROFILE consent
    services.refer_participant(world.counselor, world.opportunity.id, hidden.id)
    asked, looped = _spy(monkeypatch)
    token = api.login(world.counselor_user.email, PASSWORD)

    data = api.query(QUERY, {"id": world.opportunity.id}, token)

    referrals = nodes(data["opportunity"]["referrals"])
    assert [r["candidate"] is None for r in referrals] == [False, False, True]
    assert all(nodes(r["history"]) for r in referrals)
    assert asked == [sorted(her.id for her in shown)]  # one read, of the shown ones only
    assert looped == []


def test_another_companys_staff_announce_and_read_nothing(api, people, world, monkeypatch):
    her = people.participant(world.counselor)
    shared_referral(world, her)
    other = make_employer(world.admin, name="Other Bakery")
    other_user, other_staff = people.employer(other.id)
    open_opportunity(other_staff)
    asked, looped = _spy(monkeypatch)

    data = api.query(QUERY, {"id": world.opportunity.id}, api.login(other_user.email, PASSWORD))

    assert data == {"opportunity": None}
    assert asked == []
    own = api.query(
        QUERY, {"id": world.opportunity.id}, api.login(world.employer_user.email, PASSWORD)
    )
    assert [r["candidate"]["handle"] for r in nodes(own["opportunity"]["referrals"])] != []
    assert asked == [[her.id]] and looped == []


LIST = """{ opportunities(first: 5) { edges { node { id referrals(first: 10) { edges { node {
  history(first: 10) { edges { node { toStatus } } }
  candidate { credentials(first: 10) { edges { node { name } } } } } } } } } } }"""


def test_a_list_of_opportunities_keeps_its_batches(api, people, world):
    # Not announced: their referrals arrive through the loader, for every opportunity in
    # one batch, and their stages and candidates too (announced late they would be read
    # opportunity by opportunity).
    def statements(n: int) -> int:
        for _ in range(n):
            opportunity = open_opportunity(world.employer_actor)
            her = people.participant(world.counselor)
            shared_referral(replace(world, opportunity=opportunity), her)
        token = api.login(world.employer_user.email, PASSWORD)
        with count_queries() as counter:
            data = api.query(LIST, None, token)
        shown = [r for o in nodes(data["opportunities"]) for r in nodes(o["referrals"])]
        assert len(shown) == len(nodes(data["opportunities"])) - 1  # each but the world's
        assert all(r["candidate"] and nodes(r["history"]) for r in shown)
        return counter.count

    assert statements(1) == statements(2) == statements(1)  # 2, 4 and 5 opportunities
