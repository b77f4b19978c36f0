"""The schema's Date scalar refuses dates outside 1900-2200 (econ/bounds.py).

Applied once to the built schema's own scalar instance, so every Date argument and input
field is covered, literal or variable, without each resolver checking: a literal fails
validation and a variable fails coercion, both before anything runs (400). IDs need no
patch here: `parse_id` reads any id beyond 2^62 as not found (it cannot exist), and the
ID scalar is graphql-core's shared instance, not ours to change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from graphql import GraphQLError, GraphQLSchema

from econ.bounds import DATE_MESSAGE, in_date_range


def _checked_date(value: Any) -> Any:
    if isinstance(value, dt.date) and not in_date_range(value):
        raise GraphQLError(DATE_MESSAGE)
    return value


def _wrap(schema: GraphQLSchema, name: str, check) -> None:
    scalar = schema.type_map.get(name)
    if scalar is None:
        return
    parse_value, parse_literal = scalar.parse_value, scalar.parse_literal
    scalar.parse_value = lambda value: check(parse_value(value))
    scalar.parse_literal = lambda node, variables=None: check(parse_literal(node, variables))


def bound_input_scalars(schema: GraphQLSchema) -> GraphQLSchema:
    _wrap(schema, "Date", _checked_date)
    return schema
