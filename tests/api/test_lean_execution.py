"""The executor's short path for plain scalar fields answers exactly as graphql-core does:
the same data and the same errors (messages, paths) for every kind of value."""

import asyncio
import json
from decimal import Decimal

import graphene
import pytest
from graphql import ExecutionContext, execute, parse

from econ.schema.execution import LeanExecutionContext


class Colour(graphene.Enum):
    RED = "RED"
    BLUE = "BLUE"


class Row(graphene.ObjectType):
    name = graphene.String(required=True)
    maybe = graphene.String()
    count = graphene.Int()
    ratio = graphene.Decimal()
    colour = graphene.Field(Colour)
    shouting = graphene.String()  # its own resolver: never the short path
    later = graphene.String()  # an awaitable value

    @staticmethod
    def resolve_shouting(row, info):
        return row["name"].upper()


class Query(graphene.ObjectType):
    rows = graphene.List(Row)


def _rows():
    async def later():
        return "soon"

    return [
        {"name": "a", "maybe": None, "count": 3, "ratio": Decimal("0.25"), "colour": "RED"},
        {"name": None, "maybe": "x", "count": "not a number", "colour": "GREEN"},  # errors
        {"name": "c", "count": 2**40, "later": later()},  # out of Int's range
    ]


SCHEMA = graphene.Schema(query=Query).graphql_schema
DOCUMENT = parse("{ rows { name shouting maybe count ratio colour later } }")


def _run(context_class) -> tuple:
    result = execute(
        SCHEMA, DOCUMENT, root_value={"rows": _rows()}, execution_context_class=context_class
    )
    if asyncio.iscoroutine(result):
        result = asyncio.run(result)
    errors = sorted((e.message, tuple(e.path)) for e in result.errors or [])
    return result.data, errors


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the coroutine graphql-core never awaits
def test_same_data_and_errors_as_graphql_core():
    lean = _run(LeanExecutionContext)
    plain = _run(ExecutionContext)
    assert lean == plain
    assert json.dumps(lean[0]) == json.dumps(plain[0])  # and keys in the query's order
    data, errors = lean
    assert data["rows"][0] == {
        "name": "a",
        "maybe": None,
        "count": 3,
        "ratio": "0.25",
        "colour": "RED",
        "shouting": "A",
        "later": None,
    }
    assert any(path == ("rows", 1, "name") for _, path in errors)  # non-null, from graphql-core


def test_takes_the_short_path_for_plain_fields_only():
    from econ.schema.execution import _NOT_PLAIN, _leaf_plan

    row = SCHEMA.get_type("Row")
    assert _leaf_plan(row.fields["name"]) is not _NOT_PLAIN
    assert _leaf_plan(row.fields["colour"]) is not _NOT_PLAIN
    assert _leaf_plan(row.fields["shouting"]) is _NOT_PLAIN  # a resolver of its own
    assert _leaf_plan(SCHEMA.query_type.fields["rows"]) is _NOT_PLAIN  # a list
