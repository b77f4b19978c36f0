"""Each role × each mutation: does the call get past the role check?

Every mutation is sent with the smallest input its type accepts (required fields only,
placeholder values, ids that do not exist). Services check the role first, so a role that
may not call a mutation gets FORBIDDEN / UNAUTHENTICATED; any other outcome (a validation
error, NOT_FOUND for the made-up id, or success) means the role got past the gate.
"""

from __future__ import annotations

from collections.abc import Callable

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLSchema,
    get_named_type,
    is_list_type,
    is_non_null_type,
)

DENIED = {"FORBIDDEN", "UNAUTHENTICATED"}
PLACEHOLDERS = {
    "ID": "999999",
    "String": "x",
    "Int": 1,
    "Float": 1.0,
    "Boolean": False,
    "Date": "2026-01-01",
    "DateTime": "2026-01-01T00:00:00",
    "JSONString": "{}",
}
# Calls that would end the caller's own session; covered by tests/security/test_auth_attacks.py.
SKIPPED = {"login", "logout", "logoutEverywhere"}  # would end the sessions the matrix uses


def minimal(type_) -> object:
    """The smallest value of an input type: required fields only, placeholders."""
    if is_non_null_type(type_):
        type_ = type_.of_type
    if is_list_type(type_):
        return []
    named = get_named_type(type_)
    if isinstance(named, GraphQLEnumType):
        return next(iter(named.values))
    if isinstance(named, GraphQLInputObjectType):
        return {
            name: minimal(f.type) for name, f in named.fields.items() if is_non_null_type(f.type)
        }
    return PLACEHOLDERS[named.name]


def outcome(body: dict, name: str) -> str:
    """'denied', 'passed' or 'error:<detail>' (a top-level error the matrix cannot read)."""
    if body.get("errors"):
        codes = {(e.get("extensions") or {}).get("code") for e in body["errors"]}
        return "denied" if codes <= DENIED else f"error:{body['errors'][0].get('message')}"
    payload = (body.get("data") or {}).get(name) or {}
    codes = {e["code"] for e in payload.get("errors") or ()}
    return "denied" if codes & DENIED else "passed"


def run_matrix(
    schema: GraphQLSchema, post: Callable[[str, dict, str | None], dict], tokens: dict
) -> dict[str, dict[str, str]]:
    """mutation name -> role -> outcome."""
    results: dict[str, dict[str, str]] = {}
    for name, f in sorted(schema.mutation_type.fields.items()):
        if name in SKIPPED:
            continue
        input_type = f.args["input"].type
        document = (
            f"mutation M($input: {input_type}) {{ {name}(input: $input) "
            "{ errors { code field message } } }"
        )
        variables = {"input": minimal(input_type)}
        results[name] = {
            role: outcome(post(document, variables, token), name) for role, token in tokens.items()
        }
    return results
