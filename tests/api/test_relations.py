"""Request loaders are keyed by the relation object: one batch per relation per tick."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from econ.config import Settings
from econ.participants.relations import PARTICIPANT
from econ.schema.context import RequestContext
from econ.schema.loaders import UNANNOUNCED, Relation
from econ.security.roles import Actor, Role


def _info(actor=None) -> SimpleNamespace:
    return SimpleNamespace(context=RequestContext(actor=actor, settings=Settings()))


def test_two_resolvers_of_one_relation_share_one_batch_and_key_order():
    calls: list[list[int]] = []

    def fetch(ids):
        calls.append(sorted(ids))
        return {i: f"row {i}" for i in ids if i != 3}

    squares = Relation("rows", fetch)

    async def run():
        info = _info()
        # two "resolvers" asking in one tick, with a repeated key and a key not found
        return await asyncio.gather(
            squares.load(info, 2),
            squares.load(info, 1),
            squares.load(info, 2),
            squares.load(info, 3),
        )

    assert asyncio.run(run()) == ["row 2", "row 1", "row 2", None]
    assert calls == [[1, 2, 3]]


def test_same_name_different_relations_never_shadow_each_other():
    # With string keys the first function registered under a name won; now each relation
    # object is its own loader even when their names are equal.
    first = Relation("same name", lambda ids: {i: "first" for i in ids})
    second = Relation("same name", lambda ids: {i: "second" for i in ids})

    async def run():
        info = _info()
        return await asyncio.gather(first.load(info, 1), second.load(info, 1))

    assert asyncio.run(run()) == ["first", "second"]


def test_missing_gives_each_key_its_own_empty_value_and_actor_is_passed():
    seen = []

    def fetch(actor, ids):
        seen.append(actor)
        return {}

    lists = Relation("lists", fetch, missing=list, actor=True)
    actor = Actor(user_id=7, role=Role.COUNSELOR)

    async def run():
        info = _info(actor)
        return await asyncio.gather(lists.load(info, 1), lists.load(info, 2))

    one, two = asyncio.run(run())
    assert one == [] and two == [] and one is not two
    assert seen == [actor]


def test_the_shared_participant_relation_is_one_object_everywhere():
    from econ.employers.graphql_types import referrals as graphql_types
    from econ.ledger import graphql as ledger_graphql
    from econ.microcredit.graphql import loans
    from econ.training.graphql import types as training_graphql

    assert (
        graphql_types.PARTICIPANT
        is loans.PARTICIPANT
        is training_graphql.PARTICIPANT
        is ledger_graphql.PARTICIPANT
        is PARTICIPANT
    )


def _counted(calls: list, fetch=None):
    def wrapped(keys):
        calls.append(list(keys))
        return fetch(keys) if fetch else {k: f"row {k}" for k in keys}

    return wrapped


def test_announced_keys_are_answered_now_all_in_one_fetch():
    calls: list[list[int]] = []
    rows = Relation("rows", _counted(calls))
    info = _info()
    rows.announce(info, [1, 2, 3])
    rows.announce(info, [2])  # announced twice: asked for once
    assert rows.now_or_later(info, 2, str.upper) == "ROW 2"
    assert rows.now_or_later(info, 1) == "row 1"
    assert rows.now_or_later(info, 3) == "row 3"
    assert calls == [[1, 2, 3]]
    assert not info.context.has_loaders  # no DataLoader, hence no event loop


def test_an_unannounced_key_goes_to_the_batching_loader():
    calls: list[list[int]] = []
    rows = Relation("rows", _counted(calls))

    async def run():
        info = _info()
        rows.announce(info, [1])
        later = [rows.now_or_later(info, 5, str.upper), rows.now_or_later(info, 6)]
        assert all(asyncio.iscoroutine(x) or asyncio.isfuture(x) for x in later)
        return await asyncio.gather(*later)

    assert asyncio.run(run()) == ["ROW 5", "row 6"]
    assert calls == [[5, 6]]  # one batch of the two, and the announced key never read


def test_keys_announced_later_are_fetched_in_a_batch_of_their_own():
    calls: list[list[int]] = []
    rows = Relation("rows", _counted(calls))
    info = _info()
    rows.announce(info, [1, 2])
    rows.now_or_later(info, 1)
    rows.announce(info, [3, 4])
    assert rows.now_or_later(info, 4) == "row 4"
    assert rows.now_or_later(info, 2) == "row 2"
    assert calls == [[1, 2], [3, 4]]


def test_by_first_announces_records_and_the_field_chooses_the_page():
    calls: list[list[tuple]] = []
    pages = Relation("pages", _counted(calls), by_first=True)
    info = _info()
    pages.announce(info, [10, 11])
    assert pages.now_or_later(info, (11, 5, 0)) == "row (11, 5, 0)"
    assert pages.now_or_later(info, (10, 5, 0)) == "row (10, 5, 0)"
    assert pages.now_or_later(info, (10, 2, 4)) == "row (10, 2, 4)"  # another page: a batch
    assert calls == [[(10, 5, 0), (11, 5, 0)], [(10, 2, 4), (11, 2, 4)]]


def test_fetched_values_announce_the_next_level_without_the_hidden_ones():
    seen: list[list[int]] = []
    children = Relation("children", _counted(seen))
    parents = Relation(
        "parents",
        lambda actor, keys: {k: (None if k == 2 else SimpleNamespace(child=k * 10)) for k in keys},
        actor=True,
        announces=(children, lambda parent: parent.child),
    )
    info = _info(Actor(user_id=1, role=Role.EMPLOYER))
    parents.announce(info, [1, 2, 3])
    assert parents.now_or_later(info, 2) is None
    assert children.now_or_later(info, 30) == "row 30"
    assert seen == [[10, 30]]  # one fetch, and nothing of the hidden parent
    assert info.context.announced_value(children, 20) is UNANNOUNCED


def test_a_value_answered_late_announces_nothing_its_children_batch_as_before():
    # Two parents loaded late resume one after the other: had the first one's page
    # announced its children, they would be fetched for it alone, then the second's.
    calls: list[list[int]] = []
    children = Relation("children", _counted(calls))
    parents = Relation("parents", lambda keys: {k: [k * 10, k * 10 + 1] for k in keys})

    async def run():
        info = _info()

        def page(kids):
            children.announce(info, kids)
            return [children.now_or_later(info, kid) for kid in kids]

        pages = await asyncio.gather(
            parents.now_or_later(info, 1, page), parents.now_or_later(info, 2, page)
        )
        return [await asyncio.gather(*kids) for kids in pages]

    assert asyncio.run(run()) == [["row 10", "row 11"], ["row 20", "row 21"]]
    assert calls == [[10, 11, 20, 21]]


def test_an_announced_batch_that_fails_fails_each_field_without_asking_again():
    calls: list[list[int]] = []

    def fetch(keys):
        calls.append(list(keys))
        raise ValueError("no")

    rows = Relation("rows", fetch)
    info = _info()
    rows.announce(info, [1, 2])
    for key in (1, 2, 1):
        with pytest.raises(ValueError, match="no"):
            rows.now_or_later(info, key)
    assert calls == [[1, 2]]
