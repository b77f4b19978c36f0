"""The composition root: one schema from every domain's `Queries` and `Mutations` mixins."""

from __future__ import annotations

from functools import lru_cache

import graphene

from econ.plugins import optional_import

# Order only affects the order of fields in the schema documentation.
DOMAINS = (
    "security",
    "settings",
    "participants",
    "training",
    "employers",
    "stipends",
    "ledger",
    "microcredit",
    "statements",
    "outcomes",
)


def _mixins(kind: str) -> tuple[type, ...]:
    found = []
    for domain in DOMAINS:
        module = optional_import(f"econ.{domain}.graphql")
        if module is not None and hasattr(module, kind):
            found.append(getattr(module, kind))
    return tuple(found)


@lru_cache(maxsize=1)
def build_schema() -> graphene.Schema:
    query = type("Query", (*_mixins("Queries"), graphene.ObjectType), {})
    mutation = type("Mutation", (*_mixins("Mutations"), graphene.ObjectType), {})
    return graphene.Schema(query=query, mutation=mutation, auto_camelcase=True)
