"""The short path answers in graphql-core's order and at its moments: a sibling that
fails first stops the fields after it, errors below a parent that was nulled are
dropped, and a default read that fails is read once (a second pair of eyes found each
of these against the first version of the object path; they stay as regressions)."""

import asyncio
import json
from collections import Counter

import graphene
from graphql import ExecutionContext, execute, parse

from econ.schema.execution import LeanExecutionContext

CALLS: Counter = Counter()


def _failing(name: str, message: str):
    """A resolver that counts its calls and raises."""

    def resolve(parent, info):
        CALLS[name] += 1
        raise ValueError(message)

    return staticmethod(resolve)


class Leaf(graphene.ObjectType):
    boom = graphene.String()  # nullable, raises
    strict_boom = graphene.String(required=True)  # non-null, raises
    resolve_boom = _failing("boom", "boom")
    resolve_strict_boom = _failing("strict_boom", "strict boom")


class Node(graphene.ObjectType):
    must = graphene.String(required=True)  # own resolver, raises: nulls the node
    maybe = graphene.String()  # own resolver, raises: an error of its own
    leaf = graphene.Field(Leaf)  # default resolver: short path
    strict_leaf = graphene.Field(graphene.NonNull(Leaf))  # default resolver: short path
    resolve_must = _failing("must", "must")
    resolve_maybe = _failing("maybe", "maybe")


class Query(graphene.ObjectType):
    node = graphene.Field(Node)


SCHEMA = graphene.Schema(query=Query).graphql_schema
ROOT = {"node": {"leaf": {}, "strict_leaf": {}}}


def _run(context_class, query):
    CALLS.clear()
    result = execute(SCHEMA, parse(query), root_value=ROOT, execution_context_class=context_class)
    if asyncio.iscoroutine(result):
        result = asyncio.run(result)
    errors = sorted((e.message, tuple(e.path)) for e in result.errors or [])
    return result.data, errors, dict(CALLS)


def _same(query):
    lean, plain = _run(LeanExecutionContext, query), _run(ExecutionContext, query)
    assert lean == plain
    assert json.dumps(lean[0]) == json.dumps(plain[0])


def test_non_null_error_before_a_short_path_object_field():
    # `must` raises first, so `leaf` never runs: one error, `boom` never called.
    _same("{ node { must leaf { boom } } }")


def test_nullable_error_before_a_non_null_short_path_object_field():
    # `maybe` errs (collected), then strictLeaf nulls the node: two errors.
    _same("{ node { maybe strictLeaf { strictBoom } } }")


# --- the same, with default resolvers only (a non-null scalar that is missing) -------


class Plain(graphene.ObjectType):
    name = graphene.String(required=True)  # default resolver; missing -> graphql-core's path
    leaf = graphene.Field(Leaf)


class PlainQuery(graphene.ObjectType):
    plain = graphene.Field(Plain)


PLAIN_SCHEMA = graphene.Schema(query=PlainQuery).graphql_schema


def test_missing_non_null_scalar_before_a_short_path_object_field():
    def run(context_class):
        CALLS.clear()
        result = execute(PLAIN_SCHEMA, parse("{ plain { name leaf { boom } } }"),
                         root_value={"plain": {"name": None, "leaf": {}}},
                         execution_context_class=context_class)  # fmt: skip
        return result.data, sorted((e.message, tuple(e.path)) for e in result.errors), dict(CALLS)

    assert run(LeanExecutionContext) == run(ExecutionContext)


# --- async: a non-null sibling's error reaches the parent at graphql-core's moment ----


class Slow(graphene.ObjectType):
    late_boom = graphene.String()  # nullable, raises after one await

    @staticmethod
    async def resolve_late_boom(slow, info):
        await asyncio.sleep(0)
        raise ValueError("late boom")


class AsyncNode(graphene.ObjectType):
    strict_now = graphene.String(required=True)  # async, raises at once: nulls the node
    slow = graphene.Field(Slow)  # default resolver: short path

    @staticmethod
    async def resolve_strict_now(node, info):
        raise ValueError("strict now")


class AsyncQuery(graphene.ObjectType):
    node = graphene.Field(AsyncNode)


ASYNC_SCHEMA = graphene.Schema(query=AsyncQuery).graphql_schema


def test_async_non_null_sibling_nulls_the_parent_as_in_graphql_core():
    query = "{ node { strictNow slow { lateBoom } } }"

    # strictNow nulls `node` before lateBoom fails, so lateBoom's error is dropped
    # (graphql-core's CollectedErrors skips a position under a nulled parent).
    def run(context_class):
        async def main():
            return await execute(ASYNC_SCHEMA, parse(query), root_value={"node": {"slow": {}}},
                                 execution_context_class=context_class)  # fmt: skip

        result = asyncio.run(main())
        return result.data, sorted((e.message, tuple(e.path)) for e in result.errors)

    assert run(LeanExecutionContext) == run(ExecutionContext)


# --- a default read that raises is read once -----------------------------------------


class Source:
    reads = 0

    @property
    def leaf(self):  # graphene's default resolver reads this attribute
        Source.reads += 1
        raise RuntimeError("cannot load")


def test_a_failing_default_read_runs_once():
    def run(context_class):
        Source.reads = 0
        result = execute(
            PLAIN_SCHEMA,
            parse("{ plain { leaf { boom } } }"),
            root_value={"plain": Source()},
            execution_context_class=context_class,
        )
        return result.data, [(e.message, e.path) for e in result.errors], Source.reads

    lean = run(LeanExecutionContext)
    assert lean == run(ExecutionContext)
    assert lean[2] == 1
