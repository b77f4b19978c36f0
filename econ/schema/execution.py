"""graphql-core's executor with a short path for plain scalar fields and plain objects.

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

Fields whose value is an object, or a list of objects, read the same way (no arguments,
the default resolver, a concrete object type without `is_type_of`: a connection's
`edges`, an edge's `node`, an amount) skip graphql-core's resolve info and the
`complete_value` dispatch: their sub-selection is executed directly, with the paths
graphql-core would give, and an error inside it is handled exactly as graphql-core's
`execute_field` and `complete_list_value` handle it (null where the type allows, else
passed up to the parent). Only before the sub-selection starts may such a field still
hand over to graphql-core's path (a missing non-null value, an awaitable, a list with a
missing or awaitable item), so nothing below it runs twice.
"""

from __future__ import annotations

from asyncio import gather
from decimal import Decimal
from functools import partial
from typing import Any

from graphene.types.resolver import attr_resolver, dict_or_attr_resolver, dict_resolver
from graphql import (
    ExecutionContext,
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    located_error,
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
    if not _default_read(field_def):
        return _NOT_PLAIN
    named, nullable = _unwrapped(field_def.type)
    if not isinstance(named, GraphQLScalarType | GraphQLEnumType):
        return _NOT_PLAIN
    return field_def.resolve, named.serialize, nullable


def _object_plan(field_def) -> _ObjectPlan | object:
    """How the short path reads an object or list-of-objects field, else _NOT_PLAIN."""
    if not _default_read(field_def):
        return _NOT_PLAIN
    named, nullable = _unwrapped(field_def.type)
    item_type, item_nullable = None, False
    if isinstance(named, GraphQLList):
        item_type, item_nullable = _unwrapped(named.of_type)
        named = item_type
    if not isinstance(named, GraphQLObjectType) or named.is_type_of is not None:
        return _NOT_PLAIN
    return _ObjectPlan(field_def.resolve, field_def.type, named, nullable, item_type is not None,
                       item_nullable)  # fmt: skip


def _default_read(field_def) -> bool:
    """No arguments and graphene's default resolver (an attribute or key of the parent)."""
    resolve = field_def.resolve
    return not field_def.args and (
        isinstance(resolve, partial) and resolve.func in _DEFAULT_RESOLVERS and not resolve.keywords
    )


def _unwrapped(type_: Any) -> tuple[Any, bool]:
    """(the type inside NonNull, whether it was nullable)."""
    return (type_.of_type, False) if isinstance(type_, GraphQLNonNull) else (type_, True)


class _ObjectPlan:
    __slots__ = ("is_list", "item_nullable", "nullable", "object_type", "resolve", "return_type")

    def __init__(self, resolve, return_type, object_type, nullable, is_list, item_nullable):
        self.resolve, self.return_type, self.object_type = resolve, return_type, object_type
        self.nullable, self.is_list, self.item_nullable = nullable, is_list, item_nullable


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
        nested: list = []  # awaitable object values, as (name, awaitable)
        for response_name, field_nodes in fields.items():
            plan = self._plan(parent_type, field_nodes[0])
            value = Undefined
            if type(plan) is _ObjectPlan:
                field_path = Path(path, response_name, parent_type.name)
                value = self._object_value(plan, field_nodes, field_path, source_value)
                if value is not Undefined and self.is_awaitable(value):
                    nested.append((response_name, value))
            elif plan is not _NOT_PLAIN:
                value = self._plain_value(*plan, source_value)
            if value is Undefined:
                rest[response_name] = field_nodes
            else:
                plain[response_name] = value
        if nested:
            return self._awaiting(fields, plain, nested, parent_type, source_value, path, rest)
        if not rest:
            return plain
        others = super().execute_fields(parent_type, source_value, path, rest)
        if self.is_awaitable(others):

            async def merged() -> dict[str, Any]:
                return _in_order(fields, plain, await others)

            return merged()
        return _in_order(fields, plain, others)

    def _awaiting(self, fields, plain, nested, parent_type, source_value, path, rest) -> Any:
        """The object's fields when some object value below it waits on something."""
        others = super().execute_fields(parent_type, source_value, path, rest) if rest else {}

        async def merged() -> dict[str, Any]:
            # Together, as graphql-core gathers sibling fields: the batch loaders below
            # them then see every sibling's keys in one tick.
            waiting = [value for _, value in nested]
            if self.is_awaitable(others):
                waiting.append(others)
            done = await gather(*waiting)
            plain.update((name, value) for (name, _), value in zip(nested, done, strict=False))
            return _in_order(fields, plain, done[-1] if self.is_awaitable(others) else others)

        return merged()

    def _plan(self, parent_type: GraphQLObjectType, node: FieldNode) -> Any:
        key = (parent_type, node.name.value)
        plan = self._plans.get(key)
        if plan is None:
            field_def = get_field_def(self.schema, parent_type, node)
            plan = _NOT_PLAIN
            if field_def:
                plan = _leaf_plan(field_def)
                if plan is _NOT_PLAIN:
                    plan = _object_plan(field_def)
            self._plans[key] = plan
        return plan

    def _object_value(self, plan: _ObjectPlan, field_nodes, path: Path, source: Any) -> Any:
        """The completed object (or list of objects), an awaitable of it, or Undefined
        (before anything below has run) where graphql-core must answer."""
        try:
            value = plan.resolve(source, None)  # the default resolvers ignore `info`
        except Exception:  # graphql-core reads it again and reports it
            return Undefined
        if value is None:
            return None if plan.nullable else Undefined
        if self._unusual(value):
            return Undefined
        if plan.is_list and not self._plain_list(value, plan.item_nullable):
            return Undefined
        sub_fields = self.collect_subfields(plan.object_type, field_nodes)
        try:
            if plan.is_list:
                completed = self._object_list(plan, field_nodes, path, value, sub_fields)
            else:
                completed = self.execute_fields(plan.object_type, value, path, sub_fields)
        except Exception as raw_error:  # as graphql-core's execute_field
            self.handle_field_error(
                located_error(raw_error, field_nodes, path.as_list()), plan.return_type, path
            )
            return None
        if self.is_awaitable(completed):
            return self._guarded(completed, field_nodes, path, plan.return_type)
        return completed

    def _plain_list(self, value: Any, item_nullable: bool) -> bool:
        """A list or tuple (read twice here, so never a generator) whose items are all
        there where they must be, and none awaitable."""
        if not isinstance(value, list | tuple):
            return False
        return all(
            (item is not None or item_nullable) and (item is None or not self._unusual(item))
            for item in value
        )

    def _object_list(self, plan: _ObjectPlan, field_nodes, path: Path, items, sub_fields):
        """Each item's sub-selection, its errors handled as graphql-core's
        `complete_list_value` does."""
        completed: list[Any] = []
        waiting = False
        for index, item in enumerate(items):
            item_path = path.add_key(index, None)
            if item is None:
                completed.append(None)
                continue
            try:
                done = self.execute_fields(plan.object_type, item, item_path, sub_fields)
            except Exception as raw_error:
                item_type = plan.object_type if not plan.item_nullable else None
                self._item_error(raw_error, field_nodes, item_path, item_type)
                done = None
            if self.is_awaitable(done):
                waiting = True
                done = self._guarded(done, field_nodes, item_path, None, plan)
            completed.append(done)
        if not waiting:
            return completed

        async def gathered() -> list[Any]:
            indices = [i for i, value in enumerate(completed) if self.is_awaitable(value)]
            answers = await gather(*(completed[i] for i in indices))
            for index, value in zip(indices, answers, strict=True):
                completed[index] = value
            return completed

        return gathered()

    def _item_error(self, raw_error, field_nodes, item_path: Path, non_null_type) -> None:
        error = located_error(raw_error, field_nodes, item_path.as_list())
        if non_null_type is not None:
            raise error  # a non-null item: its list answers for it
        self.collected_errors.add(error, item_path)

    def _guarded(self, awaitable, field_nodes, path: Path, return_type, item_plan=None):
        """`awaitable`'s value, its error handled as graphql-core would."""

        async def guarded() -> Any:
            try:
                return await awaitable
            except Exception as raw_error:
                if item_plan is not None:
                    non_null = item_plan.object_type if not item_plan.item_nullable else None
                    self._item_error(raw_error, field_nodes, path, non_null)
                    return None
                error = located_error(raw_error, field_nodes, path.as_list())
                self.handle_field_error(error, return_type, path)
                return None

        return guarded()

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
