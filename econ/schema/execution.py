"""graphql-core's executor with a short path for plain scalar fields.

Most fields of a large result (a caseload's 50 rows, a run's lines, an opportunity's
referrals) are scalars read by graphene's default resolver: an attribute or key of the
parent. graphql-core still builds a `GraphQLResolveInfo`, coerces the (absent) arguments,
checks the result for an awaitable and walks `complete_value` for each, which cost more
than the read itself (docs/performance.md, §3). For such a field this reads the value
and serializes it directly.

Only a field that graphql-core would answer the same way takes the short path: no
arguments, graphene's default resolver (which never looks at `info`), a scalar or enum
type (maybe non-null), and no middleware. Such fields of an object are answered first,
without a `Path` or resolve info; the others by graphql-core's `execute_fields`, and the
result keeps the query's order. Anything unusual on the way (null for a non-null field,
an error or an awaitable as the value, a value its scalar refuses) goes to graphql-core's
own path, which then reports it exactly as before: the short path never makes an error
of its own. Resolvers with rules (restricted fields, reads that are audited) have
resolvers of their own and never take it.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from graphene.types.resolver import attr_resolver, dict_or_attr_resolver, dict_resolver
from graphql import (
    ExecutionContext,
    GraphQLEnumType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
)
from graphql.execution.execute import get_field_def
from graphql.language import FieldNode
from graphql.pyutils import Path, Undefined

_DEFAULT_RESOLVERS = (dict_or_attr_resolver, attr_resolver, dict_resolver)
# Values that are certainly not awaitable: no need to ask for each.
_PLAIN = frozenset({str, int, bool, float, Decimal})
_NOT_PLAIN = object()  # a field that takes graphql-core's path


def _leaf_plan(field_def) -> tuple | object:
    """(resolve, serialize, nullable) for a field the short path may answer, else
    _NOT_PLAIN."""
    resolve = field_def.resolve
    if field_def.args or not (
        isinstance(resolve, partial) and resolve.func in _DEFAULT_RESOLVERS and not resolve.keywords
    ):
        return _NOT_PLAIN
    non_null = isinstance(field_def.type, GraphQLNonNull)
    named = field_def.type.of_type if non_null else field_def.type
    if not isinstance(named, GraphQLScalarType | GraphQLEnumType):
        return _NOT_PLAIN
    return resolve, named.serialize, not non_null


class LeanExecutionContext(ExecutionContext):
    """`execute(..., execution_context_class=LeanExecutionContext)`."""

    # (parent type, field name) -> plan; types live as long as the schema, which is
    # built once per process. Ids of types in a schema that is dropped could be reused
    # by a new one, so the key holds the type itself.
    _plans: dict[tuple[GraphQLObjectType, str], Any] = {}

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        fields: dict[str, list[FieldNode]],
    ) -> Any:
        """The plain fields first, answered here (no `Path`, no resolve info); the rest,
        if any, by graphql-core, then merged in the selection's order."""
        if self.middleware_manager is not None:
            return super().execute_fields(parent_type, source_value, path, fields)
        plain: dict[str, Any] = {}
        rest: dict[str, list[FieldNode]] = {}
        for response_name, field_nodes in fields.items():
            plan = self._plan(parent_type, field_nodes[0])
            value = Undefined
            if plan is not _NOT_PLAIN:
                value = self._plain_value(*plan, source_value)
            if value is Undefined:
                rest[response_name] = field_nodes
            else:
                plain[response_name] = value
        if not rest:
            return plain
        others = super().execute_fields(parent_type, source_value, path, rest)
        if self.is_awaitable(others):

            async def merged() -> dict[str, Any]:
                return _in_order(fields, plain, await others)

            return merged()
        return _in_order(fields, plain, others)

    def _plan(self, parent_type: GraphQLObjectType, node: FieldNode) -> Any:
        key = (parent_type, node.name.value)
        plan = self._plans.get(key)
        if plan is None:
            field_def = get_field_def(self.schema, parent_type, node)
            plan = self._plans[key] = _leaf_plan(field_def) if field_def else _NOT_PLAIN
        return plan

    def _plain_value(self, resolve, serialize, nullable: bool, source: Any) -> Any:
        """The serialized value, or Undefined where graphql-core must answer."""
        try:
            value = resolve(source, None)  # the default resolvers ignore `info`
            if value is None:
                return None if nullable else Undefined  # a non-null's error is graphql-core's
            if type(value) not in _PLAIN and self._unusual(value):
                return Undefined
            serialized = serialize(value)
        except Exception:  # graphql-core runs the field again and reports it
            return Undefined
        return Undefined if serialized is None else serialized

    def _unusual(self, value: Any) -> bool:
        return isinstance(value, Exception) or self.is_awaitable(value)


def _in_order(fields: dict, plain: dict, others: dict) -> dict:
    """Both parts in the selection's order (a result's keys follow the query's)."""
    if not plain:
        return others
    return {
        name: plain[name] if name in plain else others[name]
        for name in fields
        if name in plain or name in others
    }
