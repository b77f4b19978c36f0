"""Cost, not only depth (issue 14, item 6): the worst-case number of objects a document can
return is counted before it runs, multiplying page sizes and list bounds, and a document
over the limit is refused; every plain list is held to the bound the count assumes."""

from __future__ import annotations

import datetime as dt

from graphql import GraphQLObjectType, get_named_type, parse

from econ.schema.cost import LIST_BOUNDS, document_cost, list_bound
from econ.schema.pagination import MAX_PAGE
from econ.schema_root import build_schema
from econ.training import services as training
from tests.security.apps import app_with, gql
from tests.support.people import PASSWORD
from tests.support.queries import count_queries
from tests.training.conftest import Kit

# The request from the issue: about 100 bytes, once 810,000 objects and 10 MB in 13 s.
# `cohorts` is a connection now, so as written it is not even a valid document; the same
# nesting through pages of 100 (two levels: three pass the depth limit) is refused by the
# cost rule.
BOMB = "{trainingProgram(id:%s){cohorts{program{cohorts{program{cohorts{program{cohorts{id}}}}}}}}}"
PAGES = (
    "{trainingProgram(id:%s){cohorts(first:100){edges{node{program{"
    "cohorts(first:100){edges{node{id}}}}}}}}}"
)


def _program_with_cohorts(people, n: int):
    kit = Kit(people)
    program = kit.program()
    start = dt.date.today() + dt.timedelta(days=7)
    for i in range(n):
        day = start + dt.timedelta(days=7 * i)
        kit.cohort(program, start_date=day, end_date=day + dt.timedelta(days=30))
    return kit, program


def test_the_nested_cohorts_bomb_is_refused_before_it_runs(http, people):
    kit, program = _program_with_cohorts(people, 30)
    token = _token(http, kit.counselor_user.email)
    query = BOMB % program.id
    assert len(query.encode()) <= 100
    with count_queries() as sql:
        response = gql(http, query, token=token)
    assert response.status_code == 400, response.text[:300]
    assert "data" not in response.json()
    assert sql.count == 0  # refused before authentication touched the database
    with count_queries() as sql:
        response = gql(http, PAGES % program.id, token=token)
    assert response.status_code == 400, response.text[:300]
    assert "query too costly" in response.json()["errors"][0]["message"]
    assert sql.count == 0
    # One level of the same lists is an ordinary request, and answers in full.
    one = gql(
        http,
        f"{{trainingProgram(id:{program.id}){{cohorts(first:50){{totalCount "
        "edges{node{id program{title}}}}}}",
        token=token,
    )
    assert one.status_code == 200, one.text[:300]
    cohorts = one.json()["data"]["trainingProgram"]["cohorts"]
    assert cohorts["totalCount"] == 30 and len(cohorts["edges"]) == 30


def test_the_count_multiplies_pages_and_bounds():
    schema = build_schema().graphql_schema

    def cost(query: str, variables=None) -> int | None:
        return document_cost(schema, parse(query), 10**12, variables)

    # trainingProgram, its page of 100 cohorts (the connection, edges, nodes), each one's
    # program and its page of 100 cohorts (the connection, edges, nodes)
    assert cost(PAGES % 1) == 1 + 1 + 4 * 100 + 2 * 100**2 == 20_402
    assert cost("{ participants(first: 10) { edges { node { id } } } }") == 1 + 10 + 10
    default = cost("{ participants { edges { node { id } } } }")
    assert default == 1 + 20 + 20  # the default page
    nested = "query Q($n: Int) { participants(first: $n) { edges { node { skills { key } } } } }"
    assert cost(nested, {"n": 5}) == 1 + 5 + 5 + 5 * LIST_BOUNDS["Skill"]
    assert cost(nested) == 1 + MAX_PAGE + MAX_PAGE + MAX_PAGE * 50  # unknown: the largest page
    fragment = "{ me { ...F } } fragment F on User { participant { skills { key } } }"
    assert cost(fragment) == 1 + 1 + 50


def test_the_limit_is_a_setting(people):
    kit, _ = _program_with_cohorts(people, 2)
    with app_with(max_query_cost=40) as client:
        token = _token(client, kit.counselor_user.email)
        small = gql(client, "{ participants(first: 19) { edges { node { id } } } }", token=token)
        assert small.status_code == 200, small.text
        large = gql(client, "{ participants(first: 20) { edges { node { id } } } }", token=token)
        assert large.status_code == 400 and "more than 40 objects" in large.text


def test_every_plain_list_is_capped_at_the_bound_the_count_assumes(people):
    schema = build_schema().graphql_schema
    capped = 0
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType):
            continue
        for name, field in type_.fields.items():
            bound = getattr(field.resolve, "bound", None)
            if bound is not None:
                capped += 1
                item = get_named_type(field.type).name
                assert bound == list_bound(type_.name, name, item)
    assert capped >= 80  # every list of objects that is not a connection's page
    # The service cap where the list is read: no more than the bound leaves the database.
    _, program = _program_with_cohorts(people, 3)
    from econ.training import cohorts

    original = cohorts.COHORTS_PER_PROGRAM
    cohorts.COHORTS_PER_PROGRAM = 2
    try:
        kept = training.cohorts_by_program([program.id])[program.id]
    finally:
        cohorts.COHORTS_PER_PROGRAM = original
    assert len(kept) == 2
    assert kept == sorted(kept, key=lambda c: c.start_date)  # the latest two, in date order
    assert kept[-1].start_date == max(
        c.start_date for c in training.cohorts_by_program([program.id])[program.id]
    )


def test_a_list_longer_than_its_bound_is_cut_to_it():
    from econ.schema.cost import _capped

    resolve = _capped(lambda root, info, **args: list(range(500)), 7)
    assert resolve(None, None) == list(range(7))
    assert _capped(lambda root, info: None, 7)(None, None) is None


def _token(client, email: str) -> str:
    body = client.post(
        "/graphql",
        json={
            "query": "mutation L($e: String!, $p: String!) { login(input: {email: $e, "
            "password: $p}) { token } }",
            "variables": {"e": email, "p": PASSWORD},
        },
    ).json()
    return body["data"]["login"]["token"]
