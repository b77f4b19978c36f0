"""The composition root of the GraphQL schema: every domain's `Queries` and `Mutations`.

Each domain's API is a plain import here, so renaming or removing one fails loudly at
start-up (and in import-linter) instead of silently dropping its fields.
"""

from __future__ import annotations

from functools import lru_cache

import graphene

from econ.employers import graphql as employers
from econ.employers import graphql_candidates as candidates
from econ.ledger import graphql as ledger
from econ.microcredit import graphql as microcredit
from econ.outcomes import graphql as outcomes
from econ.outcomes import graphql_filters as saved_filters
from econ.participants import graphql as participants
from econ.schema.cost import cap_plain_lists
from econ.schema.input_bounds import bound_input_scalars
from econ.security import graphql as security
from econ.settings import graphql as settings
from econ.statements import graphql as statements
from econ.stipends import graphql as stipends
from econ.training import graphql as training

# Order only affects the order of fields in the schema documentation.
QUERIES = (
    saved_filters.Queries,  # first: its fields print last, after the older ones
    security.Queries,
    settings.Queries,
    participants.Queries,
    training.Queries,
    employers.Queries,
    candidates.Queries,
    stipends.Queries,
    ledger.Queries,
    microcredit.Queries,
    statements.Queries,
    outcomes.Queries,
)
MUTATIONS = (
    saved_filters.Mutations,
    security.Mutations,
    settings.Mutations,
    participants.Mutations,
    training.Mutations,
    employers.Mutations,
    candidates.Mutations,
    stipends.Mutations,
    microcredit.Mutations,
    statements.Mutations,
    outcomes.Mutations,
)


@lru_cache(maxsize=1)
def build_schema() -> graphene.Schema:
    query = type("Query", (*QUERIES, graphene.ObjectType), {})
    mutation = type("Mutation", (*MUTATIONS, graphene.ObjectType), {})
    schema = graphene.Schema(query=query, mutation=mutation, auto_camelcase=True)
    bound_input_scalars(schema.graphql_schema)
    cap_plain_lists(schema.graphql_schema)
    return schema
