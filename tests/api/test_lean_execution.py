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
    shouting = graphene.String()  # its own resolver: called with graphql-core's info
    later = graphene.String()  # an awaitable value
    where = graphene.String()  # what the resolver's info says
    greeting = graphene.String(to=graphene.String())  # arguments: graphql-core's path

    @staticmethod
    def resolve_shouting(row, info):
        return row["name"].upper()

    @staticmethod
    def resolve_where(row, info):
        path = "/".join(map(str, info.path.as_list()))
        return f"{path} {info.field_name} {info.parent_type.name} {info.return_type}"

    @staticmethod
    def resolve_greeting(row, info, to="you"):
        return f"hello {to}"


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
    from econ.schema.execution import _LEAF, _NOT_PLAIN, _plan_for

    row = SCHEMA.get_type("Row")
    assert _plan_for(row.fields["name"]).kind == _LEAF
    assert _plan_for(row.fields["colour"]).kind == _LEAF
    assert not _plan_for(row.fields["name"]).needs_info
    assert _plan_for(row.fields["shouting"]).needs_info  # a resolver of its own
    assert _plan_for(row.fields["greeting"]) is _NOT_PLAIN  # it has arguments


def test_a_resolver_of_its_own_gets_the_info_graphql_core_gives():
    document = parse('{ rows { where greeting(to: "her") } }')

    def run(context_class):
        rows = [{"name": "a"}, {"name": "b"}]
        return execute(
            SCHEMA, document, root_value={"rows": rows}, execution_context_class=context_class
        ).data

    assert run(LeanExecutionContext) == run(ExecutionContext)
    assert run(LeanExecutionContext)["rows"][1] == {
        "where": "rows/1/where where Row String",
        "greeting": "hello her",
    }


# --- objects and lists of objects ------------------------------------------------------


class Inner(graphene.ObjectType):
    name = graphene.String(required=True)
    boom = graphene.String()  # raises for "bad": an error below a short-path object
    strict_boom = graphene.String(required=True)  # raises for "bad": passed up
    later = graphene.String()  # async: the object's value is awaited
    strict_later = graphene.String(required=True)  # async, raises for "bad": passed up late

    @staticmethod
    def resolve_boom(inner, info):
        if inner["name"] == "bad":
            raise ValueError("boom")
        return "ok"

    @staticmethod
    def resolve_strict_boom(inner, info):
        return Inner.resolve_boom(inner, info)

    @staticmethod
    async def resolve_later(inner, info):
        return inner["name"] + " later"

    @staticmethod
    async def resolve_strict_later(inner, info):
        return Inner.resolve_boom(inner, info)


class Outer(graphene.ObjectType):
    inner = graphene.Field(Inner)
    strict = graphene.Field(graphene.NonNull(Inner))
    items = graphene.List(Inner)
    strict_items = graphene.List(graphene.NonNull(Inner))
    required_items = graphene.NonNull(graphene.List(graphene.NonNull(Inner)))


class OuterQuery(graphene.ObjectType):
    outers = graphene.List(Outer)


def _inner(name):
    return {"name": name}


OUTERS = [
    {  # all there
        "inner": _inner("a"),
        "strict": _inner("b"),
        "items": [_inner("c"), None],
        "strict_items": [_inner("d")],
        "required_items": [_inner("e")],
    },
    {  # missing values where the type allows and where it does not
        "inner": None,
        "strict": None,
        "items": None,
        "strict_items": [_inner("f"), None],
        "required_items": [],
    },
    {  # errors below: nullable ones stay, non-null ones go up to the nearest nullable
        "inner": _inner("bad"),
        "strict": _inner("bad"),
        "items": [_inner("bad"), _inner("g")],
        "strict_items": [_inner("bad")],
        "required_items": [_inner("bad")],
    },
]
OUTER_SCHEMA = graphene.Schema(query=OuterQuery).graphql_schema


def _run_outers(context_class, selection: str) -> tuple:
    document = parse("{ outers { " + selection + " } }")
    result = execute(
        OUTER_SCHEMA,
        document,
        root_value={"outers": OUTERS},
        execution_context_class=context_class,
    )
    if asyncio.iscoroutine(result):
        result = asyncio.run(result)
    errors = sorted((e.message, tuple(e.path)) for e in result.errors or [])
    return result.data, errors


@pytest.mark.parametrize(
    "inner_selection",
    [
        *("name", "name boom", "name strictBoom", "name later", "later strictBoom boom"),
        *("name strictLater", "later strictLater boom"),
    ],
)
@pytest.mark.parametrize(
    "field", ["inner", "strict", "items", "strictItems", "requiredItems", "inner strict"]
)
def test_objects_and_lists_of_objects_answer_as_graphql_core(field, inner_selection):
    selection = " ".join(f"{name} {{ {inner_selection} }}" for name in field.split())
    lean = _run_outers(LeanExecutionContext, selection)
    plain = _run_outers(ExecutionContext, selection)
    assert lean == plain
    assert json.dumps(lean[0]) == json.dumps(plain[0])


def test_objects_take_the_short_path():
    from econ.schema.execution import _LIST, _NOT_PLAIN, _OBJECT, _plan_for

    outer = OUTER_SCHEMA.get_type("Outer")
    for name in ("inner", "strict"):
        assert _plan_for(outer.fields[name]).kind == _OBJECT, name
    for name in ("items", "strictItems", "requiredItems"):
        assert _plan_for(outer.fields[name]).kind == _LIST, name
    assert _plan_for(SCHEMA.query_type.fields["rows"]).kind == _LIST
    assert _plan_for(SCHEMA.get_type("Row").fields["greeting"]) is _NOT_PLAIN
