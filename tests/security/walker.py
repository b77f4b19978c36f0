"""Walk the whole GraphQL schema as one role and record which type.field returned data.

The schema comes from the live endpoint's introspection. For every root query field a
selection tree is built that follows every object field (never re-entering a type that is
already on the path, so the tree is finite), and the tree is cut into documents that fit
the endpoint's depth and size limits. A field "returns data" when its value is neither
null nor an empty list; what the walker saw is compared with the checked-in allowlist.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from graphql import (
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    build_client_schema,
    get_introspection_query,
    get_named_type,
    is_leaf_type,
    is_non_null_type,
    is_object_type,
)

MAX_FIELDS = 350  # below the endpoint's 400-field limit
MAX_DEPTH = 9  # the endpoint refuses depth > 10
EXPECTED_CODES = {"FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED", "BAD_REQUEST", "VALIDATION"}


@dataclass(frozen=True)
class Node:
    """One field selection: its parent type, its name, literal arguments and children."""

    parent: str
    name: str
    args: str = ""
    children: tuple[Node, ...] = ()

    @property
    def size(self) -> int:
        return 1 + sum(child.size for child in self.children)

    def render(self) -> str:
        inner = " ".join(child.render() for child in self.children)
        head = f"{self.name}{self.args}"
        return f"{head} {{ {inner} }}" if self.children else head


def fetch_schema(post: Callable[[str], dict]) -> GraphQLSchema:
    body = post(get_introspection_query(descriptions=False))
    return build_client_schema(body["data"])


def _required_args(f: GraphQLField) -> list[str]:
    return [name for name, arg in f.args.items() if is_non_null_type(arg.type)]


def subtree(schema: GraphQLSchema, type_: GraphQLObjectType, path: frozenset[str], depth: int):
    """Children of an object type: every leaf, and every object field not yet on the path."""
    children = []
    skipped = []
    for name, f in type_.fields.items():
        target = get_named_type(f.type)
        if _required_args(f):
            skipped.append(f"{type_.name}.{name}")  # needs an argument source: see the test
            continue
        if is_leaf_type(target):
            children.append(Node(type_.name, name))
        elif is_object_type(target) and target.name not in path and depth > 1:
            below, more = subtree(schema, target, path | {target.name}, depth - 1)
            skipped += more
            if below:
                children.append(Node(type_.name, name, "", tuple(below)))
    return children, skipped


def split(node: Node, budget: int = MAX_FIELDS) -> list[Node]:
    """Cut a tree into trees of at most `budget` fields that together select everything."""
    if node.size <= budget:
        return [node]
    pieces = [part for child in node.children for part in split(child, budget - 1)]
    bins: list[list[Node]] = [[]]
    used = 1
    for piece in pieces:
        if used + piece.size > budget and bins[-1]:
            bins.append([])
            used = 1
        bins[-1].append(piece)
        used += piece.size
    return [replace(node, children=tuple(group)) for group in bins]


@dataclass
class Observation:
    """What one role saw: type.field pairs that returned data, values per field, errors."""

    data: set[tuple[str, str]] = field(default_factory=set)
    values: dict[tuple[str, str], set] = field(default_factory=lambda: defaultdict(set))
    codes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unexpected: list[str] = field(default_factory=list)
    documents: int = 0
    asked: set[tuple[str, str]] = field(default_factory=set)

    def ask(self, node: Node) -> None:
        self.asked.add((node.parent, node.name))
        for child in node.children:
            self.ask(child)

    def record(self, nodes: Iterable[Node], value: dict | None) -> None:
        if not isinstance(value, dict):
            return
        for node in nodes:
            got = value.get(node.name)
            if got is None or got == []:
                continue
            self.data.add((node.parent, node.name))
            items = got if isinstance(got, list) else [got]
            for item in items:
                if node.children:
                    self.record(node.children, item)
                elif isinstance(item, (str, int, bool)):
                    self.values[(node.parent, node.name)].add(item)

    def errors(self, body: dict, document: str) -> None:
        if body.get("_status") != 200:
            self.unexpected.append(f"HTTP {body.get('_status')}: {body} for {document[:200]}")
        for error in body.get("errors") or []:
            code = (error.get("extensions") or {}).get("code", "?")
            self.codes[code] += 1
            if code not in EXPECTED_CODES:
                self.unexpected.append(f"{code}: {error.get('message')} at {error.get('path')}")


class EnumValue(str):
    """An enum argument: written without quotes."""


def literal(value: object) -> str:
    """A GraphQL literal for a JSON-able value (object keys and enum values unquoted)."""
    if isinstance(value, EnumValue):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {literal(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)


class Walker:
    """Run every root field (with argument values from `sources`) and record what came back."""

    def __init__(self, schema: GraphQLSchema, sources: dict[str, Callable[[dict], list]]):
        self.schema = schema
        self.sources = sources  # "field.arg" -> pools -> candidate values
        self.skipped: list[str] = []

    def root_trees(self, pools: dict) -> list[Node]:
        query = self.schema.query_type
        trees = []
        for name, f in query.fields.items():
            target = get_named_type(f.type)
            children: tuple[Node, ...] = ()
            if is_object_type(target):
                below, skipped = subtree(self.schema, target, frozenset({target.name}), MAX_DEPTH)
                self.skipped += skipped
                children = tuple(below)
            for args in self._argument_sets(name, f, pools):
                trees.append(Node("Query", name, args, children))
        return trees

    def _argument_sets(self, name: str, f: GraphQLField, pools: dict) -> list[str]:
        required = _required_args(f)
        if not required:
            return [""]
        choices = []
        for arg in required:
            source = self.sources.get(f"{name}.{arg}")
            if source is None:
                self.skipped.append(f"Query.{name}({arg})")
                return []
            choices.append([(arg, v) for v in source(pools)])
        return [
            "(" + ", ".join(f"{a}: {literal(v)}" for a, v in combo) + ")"
            for combo in itertools.islice(itertools.product(*choices), 12)
        ]

    def walk(self, post: Callable[[str], dict], trees: list[Node], seen: Observation) -> None:
        for tree in trees:
            for part in split(tree):
                self._ask(post, part, seen)

    def _ask(self, post: Callable[[str], dict], part: Node | None, seen: Observation) -> None:
        # A refused non-null field nulls its parent and hides its siblings: ask again
        # without the refused fields until no error is left inside the tree.
        while part is not None:
            document = "{ " + part.render() + " }"
            body = post(document)
            seen.documents += 1
            seen.ask(part)
            seen.errors(body, document)
            seen.record([part], body.get("data"))
            refused = [
                [step for step in e["path"] if isinstance(step, str)]
                for e in body.get("errors") or ()
                if len(e.get("path") or ()) > 1
            ]
            if not refused:
                return
            pruned = part
            for path in refused:
                pruned = prune(pruned, path) if pruned is not None else None
            if pruned == part:
                return
            part = pruned


def prune(node: Node, path: list[str]) -> Node | None:
    """`node` without the field at `path` (names from the root); None if nothing is left."""
    if not path or path[0] != node.name:
        return node
    if len(path) == 1:
        return None
    children = []
    for child in node.children:
        kept = prune(child, path[1:]) if child.name == path[1] else child
        if kept is not None:
            children.append(kept)
    return replace(node, children=tuple(children)) if children else None


def pools_of(observations: Iterable[Observation]) -> dict[tuple[str, str], list]:
    """Every leaf value any role saw, per type.field, sorted for stable argument choice."""
    merged: dict[tuple[str, str], set] = defaultdict(set)
    for seen in observations:
        for key, values in seen.values.items():
            merged[key] |= values
    return {key: sorted(values, key=str) for key, values in merged.items()}
