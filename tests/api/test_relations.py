"""Request loaders are keyed by the relation object: one batch per relation per tick."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from econ.config import Settings
from econ.participants.relations import PARTICIPANT
from econ.schema.context import RequestContext
from econ.schema.loaders import Relation
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
