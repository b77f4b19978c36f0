"""Validation rules: graphql-core's specified rules plus depth, alias, size and cost limits.

Passing only extra rules to `validate` would drop the standard checks, so we always start
from `specified_rules`. Validated documents are cached by query text (validation is the
most expensive step of a small request). Without introspection (production), error
messages carry no "Did you mean ...?" suggestions: they would spell out the schema that
introspection hides. `{ __typename }` stays allowed (clients and health checks use it).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

from graphene.validation import depth_limit_validator
from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    NoFragmentCyclesRule,
    parse,
    specified_rules,
    validate,
)
from graphql.language import FieldNode, StringValueNode

from econ.bounds import text_problem
from econ.config import Settings


def alias_limit_rule(max_aliases: int) -> type[ASTValidationRule]:
    class AliasLimit(ASTValidationRule):
        count = 0

        def enter_field(self, node: FieldNode, *_args) -> None:
            if node.alias is not None:
                self.count += 1
                if self.count == max_aliases + 1:
                    self.report_error(GraphQLError(f"too many aliases (limit {max_aliases})", node))

    return AliasLimit


def field_limit_rule(max_fields: int) -> type[ASTValidationRule]:
    """A simple cost bound: the number of field selections in the document."""

    class FieldLimit(ASTValidationRule):
        count = 0

        def enter_field(self, node: FieldNode, *_args) -> None:
            self.count += 1
            if self.count == max_fields + 1:
                self.report_error(
                    GraphQLError(f"query too large (limit {max_fields} fields)", node)
                )

    return FieldLimit


def storable_text_rule() -> type[ASTValidationRule]:
    """String literals whose escapes decode to text we cannot store (U+0000: PostgreSQL;
    the endpoint refuses raw NULs and unpaired surrogates in the whole request first)."""

    class StorableText(ASTValidationRule):
        def enter_string_value(self, node: StringValueNode, *_args) -> None:
            problem = text_problem(node.value)
            if problem:
                self.report_error(GraphQLError(problem, node))

    return StorableText


class NoSchemaIntrospection(ASTValidationRule):
    """`__schema` and `__type` are refused; `__typename` is not introspection of the schema."""

    def enter_field(self, node: FieldNode, *_args) -> None:
        if node.name.value in ("__schema", "__type"):
            self.report_error(GraphQLError("introspection is disabled on this server", node))


_SUGGESTION = re.compile(r"\s*Did you mean .*$", re.DOTALL)


def without_suggestions(error: GraphQLError) -> GraphQLError:
    message = _SUGGESTION.sub("", error.message)
    if message == error.message:
        return error
    return GraphQLError(message, error.nodes, error.source, error.positions, error.path)


def count_fields(document: DocumentNode) -> int:
    """Field selections in the document (each fragment counted once), without recursion."""
    count = 0
    stack = [d.selection_set for d in document.definitions if getattr(d, "selection_set", None)]
    while stack:
        for selection in stack.pop().selections:
            count += isinstance(selection, FieldNode)
            if getattr(selection, "selection_set", None) is not None:
                stack.append(selection.selection_set)
    return count


def rules_for(settings: Settings) -> tuple:
    extra = [
        depth_limit_validator(max_depth=settings.max_query_depth),
        alias_limit_rule(settings.max_aliases),
        field_limit_rule(settings.max_query_fields),
        storable_text_rule(),
    ]
    if not settings.introspection:
        extra.append(NoSchemaIntrospection)
    return (*specified_rules, *extra)


class DocumentCache:
    """query text -> (document, errors); bounded LRU, thread-safe."""

    def __init__(self, schema: GraphQLSchema, settings: Settings, size: int = 512):
        self.schema = schema
        self.max_fields = settings.max_query_fields
        self.rules = rules_for(settings)
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[str, tuple[DocumentNode | None, list[GraphQLError]]] = (
            OrderedDict()
        )

    def get(self, query: str) -> tuple[DocumentNode | None, list[GraphQLError]]:
        with self._lock:
            hit = self._items.get(query)
            if hit is not None:
                self._items.move_to_end(query)
                return hit
        result = self._compile(query)
        with self._lock:
            self._items[query] = result
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        return result

    def _compile(self, query: str) -> tuple[DocumentNode | None, list[GraphQLError]]:
        try:
            document = parse(query, max_tokens=20_000)
        except GraphQLError as error:
            return None, [error]
        # A cheap count first: the standard rules cost up to a second of CPU on a document
        # of 20,000 repeated fields (overlap checks), so an oversized one stops here.
        if count_fields(document) > self.max_fields:
            return None, [GraphQLError(f"query too large (limit {self.max_fields} fields)")]
        # graphene's depth rule recurses through fragments as it is built (outside
        # graphql-core's recursion guard): refuse fragment cycles before it runs.
        errors = validate(self.schema, document, (NoFragmentCyclesRule,))
        if not errors:
            errors = validate(self.schema, document, self.rules, max_errors=20)
        return (None, errors) if errors else (document, [])
