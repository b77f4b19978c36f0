"""graphql-core's executor with a short path for fields without arguments.

Most fields of a large result (a caseload's 50 rows, a run's lines, an opportunity's
referrals) are read by graphene's default resolver: an attribute or key of the parent.
graphql-core still builds a `GraphQLResolveInfo`, coerces the (absent) arguments, checks
the result for an awaitable and walks `complete_value` for each, which cost more than the
read itself (docs/performance.md, §3).

Only `execute_field` is replaced, so graphql-core's own `execute_fields` keeps the order
of the fields, when each runs, and the one `gather` of a selection's awaitables. A field
takes the short path when graphql-core would answer it the same way: no arguments, no
middleware, and a type that is a scalar or enum, a concrete object type without
`is_type_of`, or a list of such objects (maybe non-null at each level). The value is
read once. A plain value is serialized directly; an object's sub-selection is executed
directly, and a list's items one by one, with graphql-core's paths, and their errors
handled as its `execute_field` and `complete_list_value` handle them (null where the type
allows, else passed to the parent). Anything else (a missing non-null value, an awaitable,
an exception as the value, a value its scalar refuses, a list with a missing or awaitable
item) is completed by graphql-core's own `complete_value`, from the value already read:
the short path never makes an error of its own and never reads twice. graphene's default
resolver never looks at `info` and is called without one; a resolver of its own
(restricted fields, audited reads, a stage's time) gets the `GraphQLResolveInfo`
graphql-core would build, and only the completion of what it returns is shortened: its
rules stay in the resolver.
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
from graphql.pyutils import Path

_DEFAULT_RESOLVERS = (dict_or_attr_resolver, attr_resolver, dict_resolver)
# Values that are certainly not awaitable: no need to ask for each.
_PLAIN = frozenset({str, int, bool, float, Decimal})
_NOT_PLAIN = object()  # a field that takes graphql-core's path
_LEAF, _OBJECT, _LIST = "leaf", "object", "list"


class _Plan:
    """How the short path answers one field of one parent type."""

    __slots__ = (
        "field_def",
        "item_nullable",
        "kind",
        "named",
        "needs_info",
        "nullable",
        "resolve",
    )

    def __init__(self, field_def, kind: str, named, nullable: bool, item_nullable: bool):
        self.field_def, self.resolve, self.kind = field_def, field_def.resolve, kind
        self.named, self.nullable, self.item_nullable = named, nullable, item_nullable
        self.needs_info = not _is_default(field_def.resolve)


def _is_default(resolve: Any) -> bool:
    return (
        isinstance(resolve, partial) and resolve.func in _DEFAULT_RESOLVERS and not resolve.keywords
    )


def _plan_for(field_def) -> _Plan | object:
    """The field's plan, or _NOT_PLAIN where graphql-core answers it."""
    if field_def.args or field_def.resolve is None:  # None: the context's field_resolver
        return _NOT_PLAIN
    named, nullable = _unwrapped(field_def.type)
    if isinstance(named, GraphQLScalarType | GraphQLEnumType):
        return _Plan(field_def, _LEAF, named, nullable, False)
    kind, item_nullable = _OBJECT, False
    if isinstance(named, GraphQLList):
        kind = _LIST
        named, item_nullable = _unwrapped(named.of_type)
    if isinstance(named, GraphQLObjectType) and named.is_type_of is None:
        return _Plan(field_def, kind, named, nullable, item_nullable)
    return _NOT_PLAIN


def _unwrapped(type_: Any) -> tuple[Any, bool]:
    """(the type inside NonNull, whether it was nullable)."""
    return (type_.of_type, False) if isinstance(type_, GraphQLNonNull) else (type_, True)


class LeanExecutionContext(ExecutionContext):
    """`execute(..., execution_context_class=LeanExecutionContext)`."""

    # (parent type, field name) -> plan; types live as long as the schema, which is
    # built once per process. Ids of types in a schema that is dropped could be reused
    # by a new one, so the key holds the type itself.
    _plans: dict[tuple[GraphQLObjectType, str], Any] = {}

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_nodes: list[FieldNode],
        path: Path,
    ) -> Any:
        plan = self._plan(parent_type, field_nodes[0])
        if plan is _NOT_PLAIN or self.middleware_manager is not None:
            return super().execute_field(parent_type, source, field_nodes, path)
        try:
            info = None  # the default resolvers ignore it
            if plan.needs_info:
                info = self.build_resolve_info(plan.field_def, field_nodes, parent_type, path)
            value = plan.resolve(source, info)
            if plan.kind is _LEAF:
                done = self._leaf(plan, value)
            elif value is None or self._unusual(value):
                done = None  # graphql-core's: a missing or awaitable value
            elif plan.kind is _OBJECT:
                done = self._guard(
                    self.execute_fields(
                        plan.named, value, path, self.collect_subfields(plan.named, field_nodes)
                    ),
                    field_nodes,
                    path,
                    plan.field_def.type,
                )
            else:
                done = self._object_list(plan, field_nodes, path, value)
            if done is None:
                return self._graphql_core_completes(
                    plan, parent_type, field_nodes, path, value, info
                )
            return done[0]
        except Exception as raw_error:  # as graphql-core's execute_field
            error = located_error(raw_error, field_nodes, path.as_list())
            self.handle_field_error(error, plan.field_def.type, path)
            return None

    def _plan(self, parent_type: GraphQLObjectType, node: FieldNode) -> Any:
        key = (parent_type, node.name.value)
        plan = self._plans.get(key)
        if plan is None:
            field_def = get_field_def(self.schema, parent_type, node)
            plan = self._plans[key] = _plan_for(field_def) if field_def else _NOT_PLAIN
        return plan

    def _leaf(self, plan: _Plan, value: Any) -> tuple | None:
        """(the serialized value,), or None where graphql-core must complete it."""
        if value is None:
            return (None,) if plan.nullable else None
        if type(value) not in _PLAIN and self._unusual(value):
            return None
        try:
            serialized = plan.named.serialize(value)
        except Exception:  # graphql-core serializes it again and reports it
            return None
        return None if serialized is None else (serialized,)

    def _object_list(self, plan: _Plan, field_nodes, path: Path, items: Any) -> tuple | None:
        """(the completed items or an awaitable of them,), each item's errors handled as
        graphql-core's `complete_list_value` does; None for a list it must complete."""
        if not isinstance(items, list | tuple) or not all(
            (plan.item_nullable if item is None else not self._unusual(item)) for item in items
        ):
            return None
        sub_fields = self.collect_subfields(plan.named, field_nodes)
        item_type = _unwrapped(plan.field_def.type)[0].of_type  # as graphql-core names it
        completed: list[Any] = []
        waiting: list[int] = []
        for index, item in enumerate(items):
            item_path = path.add_key(index, None)
            if item is None:
                completed.append(None)
                continue
            try:
                done = self.execute_fields(plan.named, item, item_path, sub_fields)
            except Exception as raw_error:
                error = located_error(raw_error, field_nodes, item_path.as_list())
                self.handle_field_error(error, item_type, item_path)
                done = None
            else:
                done = self._guard(done, field_nodes, item_path, item_type)[0]
            if self.is_awaitable(done):
                waiting.append(index)
            completed.append(done)
        if not waiting:
            return (completed,)

        async def gathered() -> list[Any]:
            answers = await gather(*(completed[i] for i in waiting))
            for index, answer in zip(waiting, answers, strict=True):
                completed[index] = answer
            return completed

        return self._guard(gathered(), field_nodes, path, plan.field_def.type)

    def _guard(self, done: Any, field_nodes, path: Path, return_type) -> tuple:
        """(done,), an awaitable `done` wrapped so that its error is handled at `path`."""
        if not self.is_awaitable(done):
            return (done,)

        async def guarded() -> Any:
            try:
                return await done
            except Exception as raw_error:
                error = located_error(raw_error, field_nodes, path.as_list())
                self.handle_field_error(error, return_type, path)
                return None

        return (guarded(),)

    def _graphql_core_completes(self, plan: _Plan, parent_type, field_nodes, path, value, info):
        """What graphql-core's `execute_field` does after its resolver returned `value`
        (`info`: the resolver's, or None to build it)."""
        return_type = plan.field_def.type
        if info is None:
            info = self.build_resolve_info(plan.field_def, field_nodes, parent_type, path)
        if self.is_awaitable(value):

            async def await_result() -> Any:
                completed = self.complete_value(return_type, field_nodes, info, path, await value)
                return await completed if self.is_awaitable(completed) else completed

            return self._guard(await_result(), field_nodes, path, return_type)[0]
        completed = self.complete_value(return_type, field_nodes, info, path, value)
        return self._guard(completed, field_nodes, path, return_type)[0]

    def _unusual(self, value: Any) -> bool:
        return isinstance(value, Exception) or self.is_awaitable(value)
