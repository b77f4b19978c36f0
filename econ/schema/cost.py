"""Query cost: the worst-case number of objects a document can return, before it runs.

Depth and width limits bound the size of a document, not of its answer: a 100-byte
`trainingProgram { cohorts { program { cohorts ... } } } }` once returned 810,000 objects.
Here every field that returns objects counts the objects it can return, multiplied by the
sizes of the lists around it:

- a connection counts its `first` (a literal, the variable's default, or, for a variable
  without one, the largest page) for its `edges`;
- a plain list counts its stated bound (econ/schema/plain_lists.py says what bounds each
  one; `cap_plain_lists` cuts each to it as it resolves);
- a single object counts 1.

A document whose worst case exceeds `ECON_MAX_QUERY_COST` (default 10,000) is refused.
"""

from __future__ import annotations

import itertools
from inspect import isawaitable

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    default_field_resolver,
    get_named_type,
    is_leaf_type,
)

from econ.schema.pagination import DEFAULT_PAGE, MAX_PAGE
from econ.schema.plain_lists import BY_FIELD, BY_ITEM, stated

# The stated bound of each plain list ("Type.field", or an item type for every list of
# it), with what bounds it in econ/schema/plain_lists.py. `cap_plain_lists` (below) cuts
# every plain list to its bound as it is resolved, so the count is a promise kept.
LIST_BOUNDS: dict[str, int] = {key: bound for key, (bound, _, _) in {**BY_ITEM, **BY_FIELD}.items()}


def list_bound(parent: str, field: str, item: str) -> int:
    """The stated bound of `parent.field` (a list of `item`), else the largest page (a
    list without one fails tests/security/test_plain_lists.py)."""
    found = stated(parent, field, item)
    return found[0] if found else MAX_PAGE


class _Budget(Exception):
    """Raised as soon as the count passes the limit, so a huge document costs little."""


def _is_list(field: GraphQLField) -> bool:
    kind = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    return isinstance(kind, GraphQLList)


def _first(node: FieldNode, variables: dict[str, object]) -> int:
    """The page a field asks for; below 1 it is refused when it runs and counts nothing
    (a negative one must not take objects off the total its siblings add)."""
    for argument in node.arguments or ():
        if argument.name.value != "first":
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return max(int(value.value), 0)
        if isinstance(value, VariableNode):
            given = variables.get(value.name.value)
            if isinstance(given, int) and not isinstance(given, bool):
                return max(given, 0)
            return MAX_PAGE
    return DEFAULT_PAGE


class _Counter:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode, limit: int):
        self.schema = schema
        self.limit = limit
        self.total = 0
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }

    def add(self, count: int) -> None:
        self.total += count
        if self.total > self.limit:
            raise _Budget

    def walk(
        self,
        selections: SelectionSetNode,
        parent: GraphQLObjectType,
        times: int,
        variables: dict[str, object],
        page: int | None = None,
    ) -> None:
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                self.field(selection, parent, times, variables, page)
                continue
            if isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is None:
                    continue
                condition, inner = fragment.type_condition, fragment.selection_set
            elif isinstance(selection, InlineFragmentNode):
                condition, inner = selection.type_condition, selection.selection_set
            else:  # pragma: no cover - no other selection kinds exist
                continue
            target = self.schema.get_type(condition.name.value) if condition else parent
            if isinstance(target, GraphQLObjectType):
                self.walk(inner, target, times, variables, page)

    def field(
        self,
        node: FieldNode,
        parent: GraphQLObjectType,
        times: int,
        variables: dict[str, object],
        page: int | None,
    ) -> None:
        definition = parent.fields.get(node.name.value)
        if definition is None or node.selection_set is None:
            return  # __typename, or a leaf
        target = get_named_type(definition.type)
        if is_leaf_type(target) or not isinstance(target, GraphQLObjectType):
            return
        if _is_list(definition):
            size = (
                page
                if page is not None and node.name.value == "edges"
                else list_bound(parent.name, node.name.value, target.name)
            )
        else:
            size = 1
        count = times * size
        self.add(count)
        inner_page = _first(node, variables) if "edges" in target.fields else None
        self.walk(node.selection_set, target, count, variables, inner_page)


def _variable_defaults(operation: OperationDefinitionNode) -> dict[str, object]:
    defaults: dict[str, object] = {}
    for definition in operation.variable_definitions or ():
        if isinstance(definition.default_value, IntValueNode):
            defaults[definition.variable.name.value] = int(definition.default_value.value)
    return defaults


def document_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    limit: int,
    variables: dict[str, object] | None = None,
) -> int | None:
    """The worst-case object count of the costliest operation, or None above `limit`.

    `variables` are the request's (a `first` given as a variable counts its value)."""
    worst = 0
    for operation in document.definitions:
        if not isinstance(operation, OperationDefinitionNode):
            continue
        root = schema.get_root_type(operation.operation)
        if root is None:
            continue
        counter = _Counter(schema, document, limit)
        try:
            given = {**_variable_defaults(operation), **(variables or {})}
            counter.walk(operation.selection_set, root, 1, given)
        except _Budget:
            return None
        worst = max(worst, counter.total)
    return worst


def cost_errors(
    schema: GraphQLSchema,
    document: DocumentNode,
    limit: int,
    variables: dict[str, object] | None = None,
) -> list[GraphQLError]:
    if document_cost(schema, document, limit, variables) is None:
        return [
            GraphQLError(
                f"query too costly: it could return more than {limit:,} objects; "
                "ask for smaller pages (first) or fewer nested lists"
            )
        ]
    return []


def _plain_lists(schema: GraphQLSchema):
    """(type, field name, field, item type) of every list of objects that is not a page."""
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        is_connection = "edges" in type_.fields and "pageInfo" in type_.fields
        for name, field in type_.fields.items():
            item = get_named_type(field.type)
            if not _is_list(field) or not isinstance(item, GraphQLObjectType):
                continue
            if is_connection and name == "edges":
                continue  # a page: `first` bounds it
            yield type_, name, field, item


def _capped(resolve, bound: int):
    def capped(root, info, **args):
        result = resolve(root, info, **args)
        if isawaitable(result):
            return _cut_later(result, bound)
        return _cut(result, bound)

    capped.bound = bound  # what the schema promises, for the tests to check
    return capped


def _cut(result, bound: int):
    if result is None or (isinstance(result, list | tuple) and len(result) <= bound):
        return result
    return list(itertools.islice(result, bound))


async def _cut_later(result, bound: int):
    return _cut(await result, bound)


def cap_plain_lists(schema: GraphQLSchema) -> GraphQLSchema:
    """Every plain list resolves to at most its stated bound (`list_bound`): the promise
    `document_cost` counts on, kept in one place for lists no service caps itself."""
    for type_, name, field, item in _plain_lists(schema):
        field.resolve = _capped(
            field.resolve or default_field_resolver, list_bound(type_.name, name, item.name)
        )
    return schema
