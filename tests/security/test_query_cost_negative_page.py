"""A negative `first` does not buy room under the cost limit (issue 14, item 6).

Before: the count multiplied page sizes as given, so a sibling field asking for
`first: -100000000` (refused by its own resolver, the request going on) took 100,000,000
off the document's total, and a document of cohorts of cohorts beside it, over the limit
alone, ran in full."""

from __future__ import annotations

from graphql import parse

from econ.schema.cost import document_cost
from econ.schema_root import build_schema
from tests.security.apps import gql
from tests.security.test_query_cost import _program_with_cohorts, _token
from tests.support.queries import count_queries

# Refused where it runs, nulling only its nullable parent: the fields after it still run.
DISCOUNT = "a: trainingProgram(id: 1) { cohorts(first: %s) { edges { node { id } } } }"
# Cohorts of a program's cohorts, through pages of 100: over the default limit of 10,000.
PAGES = (
    "{trainingProgram(id:%s){cohorts(first:100){edges{node{program{"
    "cohorts(first:100){edges{node{id}}}}}}}}}"
)
BOMB = PAGES


def _with_discount(program_id: int, first: str = "-100000000") -> str:
    return "{ " + DISCOUNT % first + " b: " + (BOMB % program_id)[1:-1] + " }"


def test_a_negative_page_counts_nothing_and_takes_nothing_off():
    schema = build_schema().graphql_schema
    alone = document_cost(schema, parse(BOMB % 1), 10**12)
    assert alone > 10_000
    assert document_cost(schema, parse(_with_discount(1)), 10**12) == 2 + alone
    query = "query Q($n: Int) { " + DISCOUNT % "$n" + " b: " + (BOMB % 1)[1:-1] + " }"
    assert document_cost(schema, parse(query), 10**12, {"n": -(10**8)}) == 2 + alone


def test_the_bomb_beside_a_negative_page_is_refused_before_it_runs(http, people):
    kit, program = _program_with_cohorts(people, 30)
    token = _token(http, kit.counselor_user.email)
    with count_queries() as sql:
        response = gql(http, _with_discount(program.id), token=token)
    assert response.status_code == 400, response.text[:300]
    assert "query too costly" in response.json()["errors"][0]["message"]
    assert sql.count == 0
